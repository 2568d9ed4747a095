// An opt-in Playwright trace of each session ($env:ALEXAPRIVACY_TRACE_PATH names a folder), for
// support: tracing is cut around every step that types a secret, so no password or code is in it.
using System;
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
        private int _chunk;
        private bool _recording;

        private SessionTrace(IBrowserContext context, string baseName)
        {
            _context = context;
            _baseName = baseName;
        }

        /// <summary>Starts tracing <paramref name="context"/> when the environment asks for it; null otherwise.</summary>
        public static async Task<SessionTrace> StartIfRequestedAsync(IBrowserContext context, string account)
        {
            string folder = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (string.IsNullOrEmpty(folder)) return null;
            Directory.CreateDirectory(folder);
            string stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss-fff");
            var trace = new SessionTrace(context, Path.Combine(folder, $"{stamp}-{Safe(account)}-{Guid.NewGuid().ToString("N").Substring(0, 6)}"));
            await context.Tracing.StartAsync(new TracingStartOptions { Screenshots = true, Snapshots = true, Sources = false, Title = account }).ConfigureAwait(false);
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
            await trace._context.Tracing.StopChunkAsync(new TracingStopChunkOptions { Path = trace.NextChunkPath() }).ConfigureAwait(false);
            trace._recording = false;
            try
            {
                await typeSecret().ConfigureAwait(false);
            }
            finally
            {
                try
                {
                    await trace._context.Tracing.StartChunkAsync().ConfigureAwait(false);
                    trace._recording = true;
                }
                catch (PlaywrightException)
                {
                    // The context closed meanwhile: nothing more to trace.
                }
            }
        }

        /// <summary>Saves the last chunk; called before the context closes. Bounded so a stuck browser cannot hang Disconnect.</summary>
        public void Stop()
        {
            if (!_recording) return;
            _recording = false;
            try
            {
                _context.Tracing.StopAsync(new TracingStopOptions { Path = NextChunkPath() }).Wait(TimeSpan.FromSeconds(10));
            }
            catch (AggregateException)
            {
                // The browser is gone; the chunks saved so far remain.
            }
        }

        private string NextChunkPath() => $"{_baseName}-{Interlocked.Increment(ref _chunk)}.zip";

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
