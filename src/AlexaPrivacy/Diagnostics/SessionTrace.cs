// An opt-in Playwright trace of each session ($env:ALEXAPRIVACY_TRACE_PATH names a folder), for
// support: tracing is cut around every step that types a secret, so no password or code is in it.
using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Playwright;

namespace AlexaPrivacy.Diagnostics
{
    internal sealed class SessionTrace
    {
        public const string EnvironmentVariable = "ALEXAPRIVACY_TRACE_PATH";

        private readonly IBrowserContext _context;
        private readonly string _baseName;
        private int _part;
        private bool _recording;

        private SessionTrace(IBrowserContext context, string baseName)
        {
            _context = context;
            _baseName = baseName;
        }

        private TracingStartOptions Options => new TracingStartOptions { Screenshots = true, Snapshots = true, Sources = false, Title = _title };

        private string _title;

        /// <summary>Starts tracing <paramref name="context"/> when the environment asks for it; null otherwise.</summary>
        public static async Task<SessionTrace> StartIfRequestedAsync(IBrowserContext context, string account)
        {
            string folder = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (string.IsNullOrEmpty(folder)) return null;
            Directory.CreateDirectory(folder);
            string stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss-fff");
            var trace = new SessionTrace(context, Path.Combine(folder, $"{stamp}-{Safe(account)}-{Guid.NewGuid().ToString("N").Substring(0, 6)}")) { _title = account };
            await context.Tracing.StartAsync(trace.Options).ConfigureAwait(false);
            trace._recording = true;
            return trace;
        }

        /// <summary>
        /// Runs <paramref name="typeSecret"/> with tracing stopped: the chunk so far is saved, and a new
        /// one starts only after the page has moved on, so neither the typed value, the form's POST, nor
        /// a snapshot of the filled field is recorded.
        /// </summary>
        public static async Task WithoutTracingAsync(SessionTrace trace, Func<Task> typeSecret)
        {
            if (trace == null || !trace._recording)
            {
                await typeSecret().ConfigureAwait(false);
                return;
            }
            // Stopping the whole trace (not only a chunk) also drops the network entries Playwright has not
            // written yet, such as the form's POST being answered right now.
            await trace._context.Tracing.StopAsync(new TracingStopOptions { Path = trace.NextPartPath() }).ConfigureAwait(false);
            trace._recording = false;
            // The trace records a request when it finishes, which for a form POST answered by a redirect
            // can be after the next page loaded: resume only once every request sent meanwhile is done.
            var sent = new HashSet<IRequest>();
            var sync = new object();
            EventHandler<IRequest> onRequest = (_, r) => { lock (sync) sent.Add(r); };
            EventHandler<IRequest> onDone = (_, r) => { lock (sync) sent.Remove(r); };
            trace._context.Request += onRequest;
            trace._context.RequestFinished += onDone;
            trace._context.RequestFailed += onDone;
            try
            {
                await typeSecret().ConfigureAwait(false);
            }
            finally
            {
                var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
                while (DateTime.UtcNow < deadline)
                {
                    lock (sync) if (sent.Count == 0) break;
                    await Task.Delay(20).ConfigureAwait(false);
                }
                trace._context.Request -= onRequest;
                trace._context.RequestFinished -= onDone;
                trace._context.RequestFailed -= onDone;
                bool quiet;
                lock (sync) quiet = sent.Count == 0;
                try
                {
                    // A request still open after the wait may carry the secret: leave tracing off for good.
                    if (quiet) await trace._context.Tracing.StartAsync(trace.Options).ConfigureAwait(false);
                    trace._recording = quiet;
                }
                catch (PlaywrightException)
                {
                    // The context closed meanwhile: nothing more to trace.
                }
            }
        }

        /// <summary>Saves the last part of the trace; called before the context closes. Bounded so a stuck browser cannot hang Disconnect.</summary>
        public async Task StopAsync()
        {
            if (!_recording) return;
            _recording = false;
            var stopping = _context.Tracing.StopAsync(new TracingStopOptions { Path = NextPartPath() });
            if (await Task.WhenAny(stopping, Task.Delay(TimeSpan.FromSeconds(10))).ConfigureAwait(false) != stopping)
            {
                _ = stopping.ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
                return;
            }
            try
            {
                await stopping.ConfigureAwait(false);
            }
            catch (PlaywrightException)
            {
                // The browser is gone; the parts saved so far remain.
            }
        }

        private string NextPartPath() => $"{_baseName}-{Interlocked.Increment(ref _part)}.zip";

        private static string Safe(string text)
        {
            var chars = (text ?? "account").ToCharArray();
            for (int i = 0; i < chars.Length; i++)
            {
                if (!char.IsLetterOrDigit(chars[i]) && chars[i] != '.' && chars[i] != '-') chars[i] = '_';
            }
            return new string(chars);
        }
    }
}
