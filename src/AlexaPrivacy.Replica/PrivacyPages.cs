using System.Text.Json;
using static AlexaPrivacy.Replica.Html;

namespace AlexaPrivacy.Replica;

/// <summary>
/// The Alexa Privacy pages (section 3 of the site contract). Pages are GET requests that need a
/// session (else 302 to sign-in); data requests are POSTs that need a session (else 401 JSON
/// with a signInUrl, which the page scripts follow) and the csrf header (else 403 text/html).
/// </summary>
public static class PrivacyPages
{
    public const string Prefix = "/alexa-privacy/apd";

    public static void Map(WebApplication app, ReplicaState state)
    {
        app.MapGet(Prefix, (HttpContext ctx) => Results.Redirect(Prefix + "/home" + ctx.Request.QueryString));
        app.MapGet(Prefix + "/", (HttpContext ctx) => Results.Redirect(Prefix + "/home" + ctx.Request.QueryString));

        app.MapGet(Prefix + "/home", (HttpContext ctx) => WithPage(ctx, state, (session, account, t) =>
            PrivacyFrame(t, t["hub.title"], session.CsrfToken, DisplayName(account), null, null, state.Variant, $$"""
                <h1>{{E(t["hub.title"])}}</h1>
                <p>{{E(t["hub.intro"])}}</p>
                <ul class="hub-cards">
                  <li class="hub-card"><a id="hub-rvh" href="{{Prefix}}/rvh">{{E(t["hub.rvh"])}}</a><p>{{E(t["hub.rvhText"])}}</p></li>
                  <li class="hub-card"><a id="hub-myad" href="{{Prefix}}/myad">{{E(t["hub.myad"])}}</a><p>{{E(t["hub.myadText"])}}</p></li>
                  <li class="hub-card"><a id="hub-rah" href="{{Prefix}}/rah">{{E(t["hub.rah"])}}</a><p>{{E(t["hub.rahText"])}}</p></li>
                </ul>
                """)));

        app.MapGet(Prefix + "/rah", (HttpContext ctx) => WithPage(ctx, state, (session, account, t) =>
            PrivacyFrame(t, t["hub.rah"], session.CsrfToken, DisplayName(account), null, null, state.Variant, $$"""
                <h1>{{E(t["hub.rah"])}}</h1>
                <p class="list-end">{{E(t["rah.empty"])}}</p>
                """)));

        app.MapGet(Prefix + "/myad", (HttpContext ctx) => WithPage(ctx, state, (session, account, t) =>
        {
            var faults = state.Faults.Current;
            var config = new
            {
                generation = state.Generation,
                language = t.Language,
                removed = faults.RemovedSettings ?? new List<string>(),
                labels = t.All(),
                rendering = Variant.DefaultConfig(state.Generation), // the default's choices; under a seed Html.PrivacyFrame adds the variant's, which win
            };
            var v = state.Variant;
            return PrivacyFrame(t, t["myad.title"], session.CsrfToken, DisplayName(account), $$"""
                <h1>{{E(t["myad.title"])}}</h1>
                <div id="status" role="status" aria-live="polite"></div>
                <div id="settings-root" aria-busy="true"><p class="loading">{{E(t["frame.loading"])}}</p></div>
                """, new[] { "common.js", "variant.js", "myad.js" }, config, v);
        }));

        app.MapPost(Prefix + "/myad/settings-data", async Task<IResult> (HttpContext ctx) => await WithData(ctx, state, (session, account) =>
        {
            return Results.Json(SettingsAnswer(state, state.Store.SettingsOf(account)));
        }));

        app.MapPost(Prefix + "/myad/update-setting", async Task<IResult> (HttpContext ctx) => await WithDataAsync(ctx, state, async (session, account) =>
        {
            JsonElement body;
            try { body = await JsonSerializer.DeserializeAsync<JsonElement>(ctx.Request.Body); }
            catch (JsonException) { return Results.Json(new { error = "BadRequest" }, statusCode: 400); }
            string key = body.TryGetProperty("setting", out var k) ? k.GetString() : null;
            if (key == null || !AccountSettings.Keys.Contains(key) || (state.Faults.Current.RemovedSettings?.Contains(key) ?? false))
                return Results.Json(new { error = "UnknownSetting" }, statusCode: 400);
            if (!body.TryGetProperty("value", out var value)) return Results.Json(new { error = "BadRequest" }, statusCode: 400);

            bool drop = state.Faults.Current.DropChanges;
            if (key == "VoiceRecordingRetention")
            {
                if (value.ValueKind != JsonValueKind.String || !Enum.TryParse<Retention>(value.GetString(), out var retention))
                    return Results.Json(new { error = "BadValue" }, statusCode: 400);
                return Results.Json(SettingsAnswer(state, state.Store.SetRetention(account, retention, drop, DateTimeOffset.UtcNow)));
            }
            if (value.ValueKind != JsonValueKind.True && value.ValueKind != JsonValueKind.False)
                return Results.Json(new { error = "BadValue" }, statusCode: 400);
            return Results.Json(SettingsAnswer(state, state.Store.SetSwitch(account, key, value.GetBoolean(), drop)));
        }));

        // The pages' own scripts and stylesheet as requests of their own (variant assets=external):
        // like any request they can be throttled. No session is needed.
        app.MapGet(Prefix + "/static/{name}", (string name) => StaticAsset(state, name, privacy: true));
        app.MapGet("/ap/static/{name}", (string name) => StaticAsset(state, name, privacy: false));

        VoiceHistory.Map(app, state);
    }

    private static readonly string[] StaticNames = { "common.js", "variant.js", "myad.js", "rvh.js", "site.css" };

    private static IResult StaticAsset(ReplicaState state, string name, bool privacy)
    {
        if (!StaticNames.Contains(name)) return Results.NotFound();
        if (name.EndsWith(".css", StringComparison.Ordinal))
            return Results.Text(privacy && state.Variant != null ? PrivacyCss(state.Variant) : Asset(name), "text/css; charset=utf-8");
        return Results.Text(Asset(name), "text/javascript; charset=utf-8");
    }

    private static object SettingsAnswer(ReplicaState state, Dictionary<string, object> values)
    {
        var removed = state.Faults.Current.RemovedSettings ?? new List<string>();
        foreach (var r in removed) values.Remove(r);
        return new { settings = values, removed };
    }

    public static string DisplayName(Account account)
    {
        var local = account.Email.Split('@')[0];
        var first = local.Split('.', '_', '-', '+')[0];
        return first.Length == 0 ? local : char.ToUpperInvariant(first[0]) + first[1..];
    }

    /// <summary>Answers a privacy page: 302 to sign-in without a session, else the page.</summary>
    public static IResult WithPage(HttpContext ctx, ReplicaState state, Func<Session, Account, Texts, string> render)
    {
        var session = state.PrivacySession(ctx);
        var account = session == null ? null : state.Store.Find(session.Email);
        if (session == null || account == null)
        {
            var original = state.BaseUrl(ctx) + ctx.Request.Path + ctx.Request.QueryString;
            return Results.Redirect(state.SignInUrl(ctx, original));
        }
        var t = state.TextsOf(ctx);
        ctx.Response.Headers.CacheControl = "no-store";
        return Page(render(session, account, t));
    }

    public static Task<IResult> WithData(HttpContext ctx, ReplicaState state, Func<Session, Account, IResult> handle) =>
        WithDataAsync(ctx, state, (s, a) => Task.FromResult(handle(s, a)));

    /// <summary>Answers a data request: 401 JSON without a session, 403 HTML without the csrf header.</summary>
    public static async Task<IResult> WithDataAsync(HttpContext ctx, ReplicaState state, Func<Session, Account, Task<IResult>> handle)
    {
        var session = state.PrivacySession(ctx);
        var account = session == null ? null : state.Store.Find(session.Email);
        if (session == null || account == null)
        {
            var referer = ctx.Request.Headers.Referer.ToString();
            var back = state.IsSameOrigin(ctx, referer) ? referer : state.BaseUrl(ctx) + Prefix + "/home";
            return Results.Json(new { error = "SessionExpired", signInUrl = state.SignInUrl(ctx, back) }, statusCode: 401);
        }
        var header = ctx.Request.Headers["anti-csrftoken-a2z"].ToString();
        if (string.IsNullOrEmpty(header) || !string.Equals(header, session.CsrfToken, StringComparison.Ordinal))
            return Page("""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>403 Forbidden</title></head>
                <body><h1>403 Forbidden</h1><p>Request blocked: missing or invalid anti-csrftoken-a2z.</p></body></html>
                """, 403);
        ctx.Response.Headers.CacheControl = "no-store";
        return await handle(session, account);
    }
}
