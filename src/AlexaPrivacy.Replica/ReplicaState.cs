using System.Text.RegularExpressions;

namespace AlexaPrivacy.Replica;

/// <summary>Everything one replica server holds: options, marketplace, accounts, sessions and faults.</summary>
public sealed partial class ReplicaState
{
    public ReplicaState(ReplicaOptions options)
    {
        Options = options;
        Marketplace = Marketplace.Find(options.Marketplace);
        Store = new AccountStore();
        Faults = new Faults(options.DataLatencyMs);
        _variant = options.Variant is int seed ? Replica.Variant.FromSeed(seed) : null;
    }

    private volatile Variant _variant;

    /// <summary>The variant rendering in force, or null for the default rendering.</summary>
    public Variant Variant
    {
        get => _variant;
        set => _variant = value;
    }

    public ReplicaOptions Options { get; }
    public Marketplace Marketplace { get; }
    public AccountStore Store { get; }
    public Faults Faults { get; }

    public string Suffix => Marketplace.CookieSuffix;
    public string SessionCookie => "at-" + Suffix;
    public string LanguageCookie => "lc-" + Suffix;

    public string Generation => Faults.Current.Generation ?? Options.Generation ?? "2025";

    [GeneratedRegex("^[a-z]{2}_[A-Z]{2}$")]
    private static partial Regex LanguagePattern();

    public static string NormalizeLanguage(string value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var v = value.Trim().Replace('-', '_');
        if (v.Length == 5) v = v[..2].ToLowerInvariant() + "_" + v[3..].ToUpperInvariant();
        return LanguagePattern().IsMatch(v) ? v : null;
    }

    /// <summary>
    /// The UI language of a request: ?language= (remembered in a cookie for the browser), else the
    /// cookie, else the language fault, else the server's language, else the marketplace default.
    /// </summary>
    public string LanguageOf(HttpContext ctx)
    {
        if (ctx.Items.TryGetValue("replica.language", out var cached)) return (string)cached;
        string lang = NormalizeLanguage(ctx.Request.Query["language"]);
        if (lang != null)
        {
            if (!ctx.Response.HasStarted)
                ctx.Response.Cookies.Append(LanguageCookie, lang, new CookieOptions { Path = "/", Expires = DateTimeOffset.UtcNow.AddYears(1) });
        }
        else
        {
            lang = NormalizeLanguage(ctx.Request.Cookies[LanguageCookie])
                ?? NormalizeLanguage(Faults.Current.Language)
                ?? NormalizeLanguage(Options.Language)
                ?? Marketplace.DefaultLanguage;
        }
        ctx.Items["replica.language"] = lang;
        return lang;
    }

    public Texts TextsOf(HttpContext ctx) => new(LanguageOf(ctx), Faults.Current.LabelOverrides);

    public string BaseUrl(HttpContext ctx) => $"{ctx.Request.Scheme}://{ctx.Request.Host}";

    public string SignInUrl(HttpContext ctx, string returnTo) =>
        "/ap/signin?openid.return_to=" + Uri.EscapeDataString(returnTo)
        + "&openid.mode=checkid_setup&openid.assoc_handle=" + Marketplace.AssocHandle;

    /// <summary>The signed-in session of a request, or null.</summary>
    public Session SessionOf(HttpContext ctx) => Store.FindSession(ctx.Request.Cookies[SessionCookie]);

    /// <summary>
    /// The session of a privacy request; counts the request against the expireAfterRequests fault.
    /// Returns null when there is no valid session (or it just expired).
    /// </summary>
    public Session PrivacySession(HttpContext ctx)
    {
        var session = SessionOf(ctx);
        if (session == null) return null;
        var limit = Faults.Current.ExpireAfterRequests;
        return Store.CountPrivacyRequest(session, limit) ? session : null;
    }

    /// <summary>True for a same-origin return_to (absolute on this host, or a local path).</summary>
    public bool IsSameOrigin(HttpContext ctx, string url)
    {
        if (string.IsNullOrEmpty(url)) return false;
        if (url.StartsWith('/') && !url.StartsWith("//") && !url.StartsWith("/\\")) return true;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var u)) return false;
        return (u.Scheme == "http" || u.Scheme == "https")
            && string.Equals(u.Authority, ctx.Request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }

    public string SafeReturnTo(HttpContext ctx, string url) =>
        IsSameOrigin(ctx, url) ? url : BaseUrl(ctx) + "/alexa-privacy/apd/home";
}
