// An opt-in Playwright trace of each session ($env:ALEXAPRIVACY_TRACE_PATH names a folder), for
// support: tracing is cut around every step that types a secret (and around the module's own
// diagnostics), and starts again only on a new document with the secret fields emptied, so no
// password or code is in it; every part is rewritten before it is kept (TraceScrubber) so that no
// input value, cookie or saved state is either. Parts are owner-only files (0600) in an owner-only folder (0700).
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AlexaPrivacy.Security;
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

        // The traces still recording, so that a PowerShell that exits without Disconnect-AlexaAccount keeps them too.
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<SessionTrace, bool> Active =
            new System.Collections.Concurrent.ConcurrentDictionary<SessionTrace, bool>();
        private int _stopped;

        /// <summary>Saves every trace still recording, within <paramref name="budget"/> in all (the process is exiting).</summary>
        public static void StopAll(TimeSpan budget)
        {
            var stopping = Active.Keys.Select(t => Task.Run(() => t.StopAsync())).ToArray();
            if (stopping.Length == 0) return;
            try { Task.WaitAll(stopping, budget); } catch (AggregateException) { /* a trace that cannot be saved is lost, not the exit */ }
        }

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
            folder = PrivateFiles.EnsurePrivateFolder(folder, false);
            var trace = new SessionTrace(context, DiagnosticsFolder.NewBaseName(folder, account, "trace")) { _title = account };
            // Bounded: a browser that does not answer leaves the session untraced rather than hung.
            if (!await Bounded.WithinAsync(() => context.Tracing.StartAsync(trace.Options), StepBudget).ConfigureAwait(false)) return null;
            trace._recording = true;
            Active[trace] = true;
            return trace;
        }

        /// <summary>
        /// Runs <paramref name="typeSecret"/> with tracing stopped: the chunk so far is saved first. Afterwards
        /// the fields the secret went into are emptied (still untraced), and tracing starts again only once
        /// the page holds a new document and every request sent meanwhile is done: a submit that did not
        /// navigate leaves the typed value in the page, and the next call's before-snapshot would store it.
        /// </summary>
        public static Task WithoutTracingAsync(SessionTrace trace, IPage page, IEnumerable<string> secretFields, Func<Task> typeSecret) =>
            UntracedAsync(trace, page, secretFields, async () => { await typeSecret().ConfigureAwait(false); return true; });

        /// <summary>Runs <paramref name="work"/> (the module's own look at a page, such as a screenshot) untraced, as above.</summary>
        public static async Task<T> UntracedAsync<T>(SessionTrace trace, IPage page, IEnumerable<string> secretFields, Func<Task<T>> work)
        {
            if (trace == null || page == null)
            {
                return await work().ConfigureAwait(false);
            }
            await trace.PauseAsync().ConfigureAwait(false);
            // Stopping the whole trace (not only a chunk) also drops the network entries Playwright has not
            // written yet, such as the form's POST being answered right now.
            // The trace records a request when it finishes, which for a form POST answered by a redirect
            // can be after the next page loaded: resume only once every request sent meanwhile is done.
            var sent = new HashSet<IRequest>();
            var sync = new object();
            int documents = 0;
            EventHandler<IRequest> onRequest = (_, r) => { lock (sync) sent.Add(r); };
            EventHandler<IRequest> onDone = (_, r) => { lock (sync) sent.Remove(r); };
            EventHandler<IPage> onDocument = (_, __) => Interlocked.Increment(ref documents);
            trace._context.Request += onRequest;
            trace._context.RequestFinished += onDone;
            trace._context.RequestFailed += onDone;
            page.DOMContentLoaded += onDocument;
            try
            {
                return await work().ConfigureAwait(false);
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
                // Untraced still: whatever document the page holds now keeps no typed secret for a later snapshot.
                await EmptyFieldsAsync(page, secretFields).ConfigureAwait(false);
                page.DOMContentLoaded -= onDocument;
                // A request still open after the wait may carry the secret: leave tracing off for good.
                if (quiet) await trace.ResumeOnNewDocumentAsync(page, Volatile.Read(ref documents) > 0).ConfigureAwait(false);
            }
        }

        /// <summary>Empties every password field and the given fields, in every frame; bounded, never throws.</summary>
        private static async Task EmptyFieldsAsync(IPage page, IEnumerable<string> secretFields)
        {
            if (page.IsClosed) return;
            const string empty = "els => { for (const e of els) { try { e.value = ''; e.removeAttribute('value'); } catch (x) { } } return true; }";
            var selectors = new List<string> { "input[type=password]" };
            if (secretFields != null) selectors.AddRange(secretFields.Where(s => !string.IsNullOrWhiteSpace(s)));
            foreach (var frame in page.Frames.ToList())
            {
                foreach (string selector in selectors)
                {
                    try
                    {
                        var emptying = frame.Locator(selector).EvaluateAllAsync<bool>(empty);
                        if (await Task.WhenAny(emptying, Task.Delay(StepBudget)).ConfigureAwait(false) != emptying)
                        {
                            _ = emptying.ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
                        }
                        else if (emptying.IsFaulted) _ = emptying.Exception;
                    }
                    catch (PlaywrightException)
                    {
                        // A frame that went away holds nothing any more.
                    }
                }
            }
        }

        // Start, stop and the deferred restart are serialised: a page event may fire during a pause.
        private readonly SemaphoreSlim _gate = new SemaphoreSlim(1, 1);
        private bool _closed;
        private IPage _waitingPage;
        private EventHandler<IPage> _onNewDocument;

        /// <summary>Saves the part recorded so far and stops tracing; a restart that was waiting for a page is called off.</summary>
        private async Task PauseAsync()
        {
            await _gate.WaitAsync().ConfigureAwait(false);
            try
            {
                StopWaiting();
                if (!_recording) return;
                _recording = false;
                await SavePartAsync().ConfigureAwait(false);
            }
            finally
            {
                _gate.Release();
            }
        }

        /// <summary>Starts tracing now when the page already holds a new document, else on its next one.</summary>
        private async Task ResumeOnNewDocumentAsync(IPage page, bool newDocument)
        {
            await _gate.WaitAsync().ConfigureAwait(false);
            try
            {
                if (_closed || _recording) return;
                if (newDocument)
                {
                    await StartAsync().ConfigureAwait(false);
                    return;
                }
                StopWaiting();
                _waitingPage = page;
                _onNewDocument = (_, __) => _ = StartOnNewDocumentAsync(page);
                page.DOMContentLoaded += _onNewDocument;
            }
            finally
            {
                _gate.Release();
            }
        }

        private async Task StartOnNewDocumentAsync(IPage page)
        {
            await _gate.WaitAsync().ConfigureAwait(false);
            try
            {
                if (_closed || _recording || !ReferenceEquals(_waitingPage, page)) return;
                StopWaiting();
                await StartAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is PlaywrightException || e is ObjectDisposedException)
            {
                // The context closed meanwhile: nothing more to trace.
            }
            finally
            {
                _gate.Release();
            }
        }

        private void StopWaiting()
        {
            if (_waitingPage != null && _onNewDocument != null) _waitingPage.DOMContentLoaded -= _onNewDocument;
            _waitingPage = null;
            _onNewDocument = null;
        }

        private async Task StartAsync()
        {
            try
            {
                _recording = await Bounded.WithinAsync(() => _context.Tracing.StartAsync(Options), StepBudget).ConfigureAwait(false);
            }
            catch (PlaywrightException)
            {
                // The context closed meanwhile: nothing more to trace.
                _recording = false;
            }
        }

        private static readonly TimeSpan StepBudget = TimeSpan.FromSeconds(10);

        /// <summary>Saves the last part of the trace; called before the context closes. Bounded so a stuck browser cannot hang Disconnect.</summary>
        public async Task StopAsync()
        {
            // Once: at Disconnect-AlexaAccount, or when the process exits, whichever comes first.
            if (Interlocked.Exchange(ref _stopped, 1) != 0) return;
            Active.TryRemove(this, out _);
            await _gate.WaitAsync().ConfigureAwait(false);
            try
            {
                _closed = true;
                StopWaiting();
                if (!_recording) return;
                _recording = false;
                await SavePartAsync().ConfigureAwait(false);
            }
            finally
            {
                _gate.Release();
            }
        }

        /// <summary>
        /// Stops tracing into a private staging folder, then keeps a scrubbed copy (no cookie, no
        /// saved state, none of the context's cookie values) as an owner-only part; the raw one is deleted.
        /// </summary>
        private async Task SavePartAsync()
        {
            string final = NextPartPath();
            string staging = Path.Combine(Path.GetDirectoryName(final), "." + PrivateFiles.RandomName());
            try
            {
                PrivateFiles.EnsurePrivateFolder(staging, true);
                string raw = Path.Combine(staging, "trace.zip");
                if (!await Bounded.WithinAsync(() => _context.Tracing.StopAsync(new TracingStopOptions { Path = raw }), StepBudget).ConfigureAwait(false)) return;
                if (!File.Exists(raw)) return;
                var cookieValues = new List<string>();
                var reading = _context.CookiesAsync();
                if (await Task.WhenAny(reading, Task.Delay(StepBudget)).ConfigureAwait(false) == reading && reading.Status == TaskStatus.RanToCompletion)
                {
                    cookieValues.AddRange(reading.Result.Select(c => c.Value));
                }
                else
                {
                    _ = reading.ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
                }
                PrivateFiles.WriteNew(final, TraceScrubber.Scrub(File.ReadAllBytes(raw), cookieValues));
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is PlaywrightException || e is InvalidDataException || e is AlexaException)
            {
                // A part that cannot be scrubbed is not kept; the parts saved so far remain.
            }
            finally
            {
                try { if (Directory.Exists(staging)) Directory.Delete(staging, true); } catch (Exception) { }
            }
        }

        private string NextPartPath() => $"{_baseName}-{Interlocked.Increment(ref _part)}.zip";
    }
}
