using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace AlexaPrivacy.Replica;

/// <summary>
/// The replica as an embeddable server: <c>await using var server = new ReplicaServer();
/// Uri baseUri = await server.StartAsync(new ReplicaOptions());</c>. Kestrel listens on 127.0.0.1 only.
/// </summary>
public sealed class ReplicaServer : IAsyncDisposable
{
    private WebApplication _app;

    /// <summary>The server's base address, e.g. http://127.0.0.1:5123/ (null until started).</summary>
    public Uri BaseUri { get; private set; }

    /// <summary>The server's in-memory state (accounts, sessions, faults).</summary>
    public ReplicaState State { get; private set; }

    /// <summary>Starts a replica and returns its base address.</summary>
    public async Task<Uri> StartAsync(ReplicaOptions options, CancellationToken cancellationToken = default)
    {
        if (_app != null) throw new InvalidOperationException("The replica is already started.");
        options ??= new ReplicaOptions();
        State = new ReplicaState(options);
        if (!string.IsNullOrEmpty(options.AccountsFile)) AdminApi.LoadAccountsFile(State, options.AccountsFile);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = Array.Empty<string>(),
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = "Production",
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        if (!options.HandleConsoleSignals) builder.Services.AddSingleton<IHostLifetime, QuietLifetime>();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, options.Port);
            k.AddServerHeader = false;
        });

        var app = builder.Build();
        var state = State;
        app.Use(async (ctx, next) => await FaultMiddleware(state, ctx, next));
        SignInPages.Map(app, state);
        PrivacyPages.Map(app, state);
        AdminApi.Map(app, state);
        app.MapGet("/", () => Results.Redirect(PrivacyPages.Prefix + "/home"));

        await app.StartAsync(cancellationToken);
        _app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>().Addresses.First();
        var port = new Uri(address).Port;
        BaseUri = new Uri($"http://127.0.0.1:{port}/");
        return BaseUri;
    }

    /// <summary>Completes when the host is asked to stop (Ctrl+C / SIGTERM with console signals).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) =>
        _app?.WaitForShutdownAsync(cancellationToken) ?? Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        var app = _app;
        if (app == null) return;
        _app = null;
        // Clear faults first so hanging requests are released.
        State.Faults.Replace(new FaultConfig());
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(5));
        try { await app.StopAsync(cts.Token); } catch (OperationCanceledException) { }
        await app.DisposeAsync();
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    /// <summary>Counts requests and applies the hang, throttle and latency faults (never to /__replica/).</summary>
    private static async Task FaultMiddleware(ReplicaState state, HttpContext ctx, Func<Task> next)
    {
        var path = ctx.Request.Path.Value ?? "/";
        if (path.StartsWith(AdminApi.Prefix + "/", StringComparison.Ordinal) || path == AdminApi.Prefix)
        {
            ctx.Response.Headers.CacheControl = "no-store";
            await next();
            return;
        }
        Interlocked.Increment(ref state.Store.Requests);
        // ?language=ll_CC is remembered in a cookie for the browser's following requests,
        // also when this request only redirects (e.g. to the sign-in page).
        if (ctx.Request.Query.ContainsKey("language")) state.LanguageOf(ctx);
        try
        {
            await state.Faults.WaitWhileHangingAsync(path, ctx.RequestAborted);
            int status = state.Faults.TakeThrottle(path);
            if (status == 0) status = state.Faults.TakeThrottleRate(path);
            if (status != 0)
            {
                ctx.Response.StatusCode = status;
                ctx.Response.ContentType = "text/html; charset=utf-8";
                if (status == 429) ctx.Response.Headers.RetryAfter = "1";
                await ctx.Response.WriteAsync(Faults.ThrottlePage(status), ctx.RequestAborted);
                return;
            }
            var faults = state.Faults.Current;
            bool dataRequest = HttpMethods.IsPost(ctx.Request.Method) && path.StartsWith("/alexa-privacy/", StringComparison.Ordinal);
            await Faults.DelayAsync(dataRequest ? faults.LatencyMs : faults.PageLatencyMs, ctx.RequestAborted);
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        await next();
    }

    /// <summary>A host lifetime that does not hook Ctrl+C/SIGTERM (for embedded servers).</summary>
    private sealed class QuietLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
