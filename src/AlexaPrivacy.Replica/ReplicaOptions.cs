namespace AlexaPrivacy.Replica;

/// <summary>How a replica server is started.</summary>
public sealed class ReplicaOptions
{
    /// <summary>TCP port on 127.0.0.1; 0 picks a free port.</summary>
    public int Port { get; set; }

    /// <summary>The marketplace the server acts as, e.g. "amazon.com" or "amazon.de".</summary>
    public string Marketplace { get; set; } = "amazon.com";

    /// <summary>Default UI language (ll_CC); null means the marketplace's default.</summary>
    public string Language { get; set; }

    /// <summary>Settings page generation: "2025" (default) or "2019".</summary>
    public string Generation { get; set; } = "2025";

    /// <summary>Optional JSON file with an array of accounts (same objects as POST /__replica/accounts).</summary>
    public string AccountsFile { get; set; }

    /// <summary>Records per page of the voice history feed.</summary>
    public int PageSize { get; set; } = 50;

    /// <summary>Default latency of the privacy data requests in ms (min, max).</summary>
    public int[] DataLatencyMs { get; set; } = new[] { 30, 150 };

    /// <summary>Variant seed (see Variant.cs); null renders the default rendering.</summary>
    public int? Variant { get; set; }

    /// <summary>True for the command-line program: Ctrl+C / SIGTERM stop the server.</summary>
    public bool HandleConsoleSignals { get; set; }
}
