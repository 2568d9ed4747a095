namespace AlexaPrivacy.Replica;

/// <summary>A marketplace from section 1 of the site contract.</summary>
public sealed record Marketplace(string Name, string CookieSuffix, string DefaultLanguage, string AssocHandleSuffix)
{
    public static readonly IReadOnlyList<Marketplace> All = new[]
    {
        new Marketplace("amazon.com", "main", "en_US", "us"),
        new Marketplace("amazon.ca", "acbca", "en_CA", "ca"),
        new Marketplace("amazon.co.uk", "acbuk", "en_GB", "uk"),
        new Marketplace("amazon.de", "acbde", "de_DE", "de"),
        new Marketplace("amazon.fr", "acbfr", "fr_FR", "fr"),
        new Marketplace("amazon.it", "acbit", "it_IT", "it"),
        new Marketplace("amazon.es", "acbes", "es_ES", "es"),
        new Marketplace("amazon.in", "acbin", "en_IN", "in"),
        new Marketplace("amazon.co.jp", "acbjp", "ja_JP", "jp"),
        new Marketplace("amazon.com.au", "acbau", "en_AU", "au"),
        new Marketplace("amazon.com.mx", "acbmx", "es_MX", "mx"),
        new Marketplace("amazon.com.br", "acbbr", "pt_BR", "br"),
    };

    /// <summary>Finds a marketplace by name ("amazon.de", "www.amazon.de" or "de").</summary>
    public static Marketplace Find(string name)
    {
        if (string.IsNullOrWhiteSpace(name)) return All[0];
        var n = name.Trim().ToLowerInvariant();
        if (n.StartsWith("https://")) n = n[8..];
        if (n.StartsWith("www.")) n = n[4..];
        n = n.TrimEnd('/');
        return All.FirstOrDefault(m => m.Name == n)
            ?? All.FirstOrDefault(m => m.Name == "amazon." + n)
            ?? throw new ArgumentException($"Unknown marketplace '{name}'.");
    }

    public static bool TryFind(string name, out Marketplace marketplace)
    {
        try { marketplace = Find(name); return true; }
        catch (ArgumentException) { marketplace = null; return false; }
    }

    public string AssocHandle => "amzn_alexa_privacy_" + AssocHandleSuffix;
}
