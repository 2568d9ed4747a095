using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace AlexaPrivacy.Replica.Tests;

/// <summary>One embedded replica per test class (no data latency, so the suite stays fast).</summary>
public class ReplicaFixture : IAsyncLifetime
{
    private readonly ReplicaServer _server = new();
    public Uri BaseUri { get; private set; }
    protected virtual ReplicaOptions Options => new() { DataLatencyMs = new[] { 0, 0 } };

    public async Task InitializeAsync() => BaseUri = await _server.StartAsync(Options);
    public async Task DisposeAsync() => await _server.DisposeAsync();

    public Browserish NewClient() => new(BaseUri);

    /// <summary>A client for the admin API.</summary>
    public HttpClient Admin() => new() { BaseAddress = BaseUri };
}

/// <summary>An HttpClient that keeps cookies like a browser but does not follow redirects.</summary>
public sealed class Browserish : IDisposable
{
    public CookieContainer Cookies { get; } = new();
    public HttpClient Http { get; }
    public Uri BaseUri { get; }

    public Browserish(Uri baseUri)
    {
        BaseUri = baseUri;
        Http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = Cookies, UseCookies = true }) { BaseAddress = baseUri };
    }

    public void Dispose() => Http.Dispose();

    public static string Hidden(string html, string name) =>
        WebUtility.HtmlDecode(Regex.Match(html, $"name=\"{Regex.Escape(name)}\" value=\"([^\"]*)\"").Groups[1].Value);

    public static string Csrf(string html) =>
        Regex.Match(html, "<meta name=\"csrf-token\" content=\"([^\"]*)\"").Groups[1].Value;

    public static string ErrorText(string html) =>
        WebUtility.HtmlDecode(Regex.Match(html, "id=\"auth-error-message-box\"[\\s\\S]*?<span class=\"a-list-item\">([^<]*)</span>").Groups[1].Value);

    public async Task<string> Text(HttpResponseMessage r) => await r.Content.ReadAsStringAsync();

    public Task<HttpResponseMessage> PostForm(string path, params (string, string)[] fields) =>
        Http.PostAsync(path, new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2))));

    /// <summary>Email page, then email; returns the password page HTML (or the error page).</summary>
    public async Task<(string Html, string Flow)> SubmitEmail(string email, string returnTo = "/alexa-privacy/apd/home")
    {
        var page = await Http.GetStringAsync("/ap/signin?openid.return_to=" + Uri.EscapeDataString(new Uri(BaseUri, returnTo).ToString()) + "&openid.mode=checkid_setup");
        var flow = Hidden(page, "workflowState");
        var r = await PostForm("/ap/signin", ("workflowState", flow), ("email", email));
        return (await Text(r), flow);
    }

    /// <summary>Signs in through the pages (email, password, optional TOTP); returns the final response.</summary>
    public async Task<HttpResponseMessage> SignIn(string email, string password, string totpSecret = null, bool rememberMe = false, string returnTo = "/alexa-privacy/apd/home")
    {
        var (_, flow) = await SubmitEmail(email, returnTo);
        var fields = new List<(string, string)> { ("workflowState", flow), ("email", email), ("password", password) };
        if (rememberMe) fields.Add(("rememberMe", "true"));
        var r = await PostForm("/ap/signin", fields.ToArray());
        if (r.StatusCode == HttpStatusCode.Redirect && r.Headers.Location!.ToString().StartsWith("/ap/mfa"))
        {
            var mfa = await Http.GetStringAsync(r.Headers.Location);
            Assert.Contains("Two-Step Verification", mfa);
            r = await PostForm("/ap/mfa", ("workflowState", Hidden(mfa, "workflowState")), ("otpCode", TestTotp.Code(totpSecret, DateTimeOffset.UtcNow)));
        }
        return r;
    }

    /// <summary>Loads a privacy page and returns its csrf token.</summary>
    public async Task<string> CsrfOf(string path = "/alexa-privacy/apd/myad")
    {
        var r = await Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        return Csrf(await Text(r));
    }

    public async Task<HttpResponseMessage> Data(string path, object body, string csrf)
    {
        var req = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (csrf != null) req.Headers.Add("anti-csrftoken-a2z", csrf);
        return await Http.SendAsync(req);
    }

    public async Task<JsonElement> DataJson(string path, object body, string csrf)
    {
        var r = await Data(path, body, csrf);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        return JsonDocument.Parse(await Text(r)).RootElement.Clone();
    }
}

internal static class AdminExtensions
{
    public static async Task<JsonElement> Json(this HttpClient admin, HttpMethod method, string path, object body = null, HttpStatusCode expect = HttpStatusCode.OK)
    {
        var req = new HttpRequestMessage(method, path);
        if (body != null) req.Content = JsonContent.Create(body);
        var r = await admin.SendAsync(req);
        var text = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == expect, $"{method} {path}: {(int)r.StatusCode} {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public static Task<JsonElement> CreateAccount(this HttpClient admin, object account) =>
        admin.Json(HttpMethod.Post, "/__replica/accounts", account, HttpStatusCode.Created);
}
