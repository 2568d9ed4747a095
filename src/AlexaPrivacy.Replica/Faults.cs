using System.Text.Json.Serialization;

namespace AlexaPrivacy.Replica;

/// <summary>
/// A throttling fault: <see cref="Count"/> matching requests get <see cref="Status"/>: the next ones, or with
/// <see cref="Every"/> n the first matching request and every n-th after it (the others are answered as usual).
/// </summary>
public sealed class ThrottleFault
{
    [JsonPropertyName("status")] public int Status { get; set; } = 503;
    [JsonPropertyName("count")] public int Count { get; set; } = 1;
    [JsonPropertyName("pathPrefix")] public string PathPrefix { get; set; } = "/";
    [JsonPropertyName("every")] public int Every { get; set; } = 1;

    /// <summary>Matching requests seen while the fault had answers left.</summary>
    internal int Seen;

    public ThrottleFault Copy() => new() { Status = Status, Count = Count, PathPrefix = PathPrefix, Every = Every };
}

/// <summary>A throttling fault by chance: that share of all matching requests answer <see cref="Status"/>.</summary>
public sealed class ThrottleRateFault
{
    [JsonPropertyName("rate")] public double Rate { get; set; }
    [JsonPropertyName("status")] public int Status { get; set; } = 503;
    [JsonPropertyName("pathPrefix")] public string PathPrefix { get; set; } = "/";
}

/// <summary>A hanging fault: matching requests never answer until the fault is cleared.</summary>
public sealed class HangFault
{
    [JsonPropertyName("pathPrefix")] public string PathPrefix { get; set; } = "/";
}

/// <summary>The faults switched on through PUT /__replica/faults (missing = off/default).</summary>
public sealed class FaultConfig
{
    [JsonPropertyName("latencyMs")] public int[] LatencyMs { get; set; }
    [JsonPropertyName("pageLatencyMs")] public int[] PageLatencyMs { get; set; }
    [JsonPropertyName("throttle")] public ThrottleFault Throttle { get; set; }
    /// <summary>More throttling faults, each counted on its own (a request takes the first one that throttles it).</summary>
    [JsonPropertyName("throttles")] public List<ThrottleFault> Throttles { get; set; }
    [JsonPropertyName("throttleRate")] public ThrottleRateFault ThrottleRate { get; set; }
    [JsonPropertyName("hang")] public HangFault Hang { get; set; }
    [JsonPropertyName("interstitials")] public List<string> Interstitials { get; set; }
    [JsonPropertyName("dropChanges")] public bool DropChanges { get; set; }
    [JsonPropertyName("expireAfterRequests")] public int? ExpireAfterRequests { get; set; }
    [JsonPropertyName("generation")] public string Generation { get; set; }
    [JsonPropertyName("language")] public string Language { get; set; }
    [JsonPropertyName("removedSettings")] public List<string> RemovedSettings { get; set; }
    [JsonPropertyName("labelOverrides")] public Dictionary<string, string> LabelOverrides { get; set; }

    /// <summary>The throttling faults that are set: <see cref="Throttle"/>, then <see cref="Throttles"/>.</summary>
    internal IEnumerable<ThrottleFault> AllThrottles() => new[] { Throttle }.Concat(Throttles ?? Enumerable.Empty<ThrottleFault>()).Where(t => t != null);

    public FaultConfig Clone()
    {
        var c = (FaultConfig)MemberwiseClone();
        c.LatencyMs = LatencyMs?.ToArray();
        c.PageLatencyMs = PageLatencyMs?.ToArray();
        c.Throttle = Throttle?.Copy();
        c.Throttles = Throttles?.Select(t => t.Copy()).ToList();
        c.ThrottleRate = ThrottleRate == null ? null : new ThrottleRateFault { Rate = ThrottleRate.Rate, Status = ThrottleRate.Status, PathPrefix = ThrottleRate.PathPrefix };
        c.Interstitials = Interstitials?.ToList();
        c.Hang = Hang == null ? null : new HangFault { PathPrefix = Hang.PathPrefix };
        c.RemovedSettings = RemovedSettings?.ToList();
        c.LabelOverrides = LabelOverrides == null ? null : new Dictionary<string, string>(LabelOverrides);
        return c;
    }
}

/// <summary>The current faults, with a signal for requests waiting on a hang fault.</summary>
public sealed class Faults
{
    private readonly object _sync = new();
    private FaultConfig _config = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly int[] _defaultLatency;

    public Faults(int[] defaultDataLatencyMs) => _defaultLatency = defaultDataLatencyMs ?? new[] { 30, 150 };

    /// <summary>A snapshot of the current faults, with defaults filled in.</summary>
    public FaultConfig Current
    {
        get
        {
            lock (_sync)
            {
                var c = _config.Clone();
                c.LatencyMs ??= _defaultLatency.ToArray();
                return c;
            }
        }
    }

    public void Replace(FaultConfig config)
    {
        config ??= new FaultConfig();
        foreach (var t in config.AllThrottles())
        {
            if (t.Status != 429 && t.Status != 503)
                throw new ArgumentException("throttle.status must be 429 or 503.");
            if (t.Every < 1) throw new ArgumentException("throttle.every must be 1 or more.");
            t.PathPrefix = string.IsNullOrEmpty(t.PathPrefix) ? "/" : t.PathPrefix;
        }
        if (config.ThrottleRate != null)
        {
            if (config.ThrottleRate.Status != 429 && config.ThrottleRate.Status != 503)
                throw new ArgumentException("throttleRate.status must be 429 or 503.");
            if (!(config.ThrottleRate.Rate >= 0 && config.ThrottleRate.Rate <= 1))
                throw new ArgumentException("throttleRate.rate must be between 0 and 1.");
            config.ThrottleRate.PathPrefix = string.IsNullOrEmpty(config.ThrottleRate.PathPrefix) ? "/" : config.ThrottleRate.PathPrefix;
        }
        if (config.Interstitials != null)
            foreach (var i in config.Interstitials)
                if (i is not ("phone" or "passkey")) throw new ArgumentException($"Unknown interstitial '{i}'; known: phone, passkey.");
        if (config.Hang != null && string.IsNullOrEmpty(config.Hang.PathPrefix)) config.Hang.PathPrefix = "/";
        if (config.Generation != null && config.Generation != "2025" && config.Generation != "2019")
            throw new ArgumentException("generation must be \"2025\" or \"2019\".");
        ValidateRange(config.LatencyMs, "latencyMs");
        ValidateRange(config.PageLatencyMs, "pageLatencyMs");
        if (config.RemovedSettings != null)
            foreach (var s in config.RemovedSettings)
                if (!AccountSettings.Keys.Contains(s)) throw new ArgumentException($"Unknown setting '{s}' in removedSettings.");
        TaskCompletionSource old;
        lock (_sync)
        {
            _config = config.Clone();
            old = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        old.TrySetResult();
    }

    private static void ValidateRange(int[] range, string name)
    {
        if (range == null) return;
        if (range.Length != 2 || range[0] < 0 || range[1] < range[0])
            throw new ArgumentException($"{name} must be [min, max] with 0 <= min <= max.");
    }

    /// <summary>Consumes one throttled answer if the path matches; returns the status to answer or 0.</summary>
    public int TakeThrottle(string path)
    {
        lock (_sync)
        {
            foreach (var t in _config.AllThrottles())
            {
                if (t.Count <= 0 || !path.StartsWith(t.PathPrefix, StringComparison.OrdinalIgnoreCase)) continue;
                if (t.Seen++ % t.Every != 0) continue;
                t.Count--;
                return t.Status;
            }
            return 0;
        }
    }

    /// <summary>Draws whether this request is throttled by the throttleRate fault; returns the status or 0.</summary>
    public int TakeThrottleRate(string path)
    {
        ThrottleRateFault t;
        lock (_sync) t = _config.ThrottleRate;
        if (t == null || t.Rate <= 0 || !path.StartsWith(t.PathPrefix, StringComparison.OrdinalIgnoreCase)) return 0;
        return Random.Shared.NextDouble() < t.Rate ? t.Status : 0;
    }

    /// <summary>Waits while a hang fault matches the path (until it is cleared or the client goes away).</summary>
    public async Task WaitWhileHangingAsync(string path, CancellationToken aborted)
    {
        while (true)
        {
            Task changed;
            lock (_sync)
            {
                var h = _config.Hang;
                if (h == null || !path.StartsWith(h.PathPrefix, StringComparison.OrdinalIgnoreCase)) return;
                changed = _changed.Task;
            }
            await changed.WaitAsync(aborted);
        }
    }

    public static Task DelayAsync(int[] range, CancellationToken ct)
    {
        if (range == null || range.Length != 2 || range[1] <= 0) return Task.CompletedTask;
        int ms = Random.Shared.Next(range[0], range[1] + 1);
        return ms <= 0 ? Task.CompletedTask : Task.Delay(ms, ct);
    }

    /// <summary>The HTML answer of a throttled request.</summary>
    public static string ThrottlePage(int status)
    {
        var text = status == 429 ? "Rate exceeded" : "Sorry! Something went wrong!";
        return $$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>{{(status == 429 ? "Rate exceeded" : "Amazon.com")}}</title>
            <style>body{font-family:Arial,sans-serif;margin:40px;color:#111}h1{font-size:24px}</style></head>
            <body><div id="error-page"><h1>{{text}}</h1>
            <p>{{(status == 429 ? "Too many requests. Please wait a moment and try again." : "We're working on it and we'll get it fixed as soon as we can.")}}</p>
            <p><a href="/alexa-privacy/apd/home">Go back</a></p></div></body></html>
            """;
    }
}
