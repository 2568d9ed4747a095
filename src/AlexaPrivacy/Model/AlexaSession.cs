// A signed-in Amazon account: one isolated browser context (its own cookies) in the shared browser.
using System;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using AlexaPrivacy.Site;
using Microsoft.Playwright;

namespace AlexaPrivacy
{
    public sealed class AlexaSession : IDisposable
    {
        internal AlexaSession(string account, string marketplace, Uri baseUri, SiteProfile profile, Func<IBrowserContext, Task> releaseContext)
        {
            ReleaseContext = releaseContext ?? throw new ArgumentNullException(nameof(releaseContext));
            Account = account;
            Marketplace = marketplace;
            BaseUri = baseUri;
            Profile = profile;
            Id = Guid.NewGuid();
        }

        public Guid Id { get; }

        /// <summary>The account's email address.</summary>
        public string Account { get; }

        public string Marketplace { get; }

        public Uri BaseUri { get; }

        /// <summary>When this session last signed in (or reused a saved sign-in).</summary>
        public DateTimeOffset? SignedInAt { get; internal set; }

        /// <summary>True when the sign-in came from a saved session file rather than a password.</summary>
        public bool Reused { get; internal set; }

        public string SessionPath { get; internal set; }

        public bool IsOpen => Context != null && !_disposed;

        /// <summary>True for the current session of the runspace that asks (the one data cmdlets use without -Session).</summary>
        public bool IsCurrent => SessionRegistry.IsCurrent(this);

        /// <summary>Device names this session has seen (records read, the page's device filter): what Tab offers for -Device.</summary>
        internal System.Collections.Concurrent.ConcurrentDictionary<string, bool> KnownDevices { get; } =
            new System.Collections.Concurrent.ConcurrentDictionary<string, bool>(StringComparer.OrdinalIgnoreCase);

        internal SiteProfile Profile { get; }

        internal IBrowserContext Context { get; set; }

        internal IPage Page { get; set; }

        /// <summary>
        /// The privacy page object the sign-in just landed on with its data shown (Pages.PrivacyPage), and when
        /// (Stopwatch ticks): the command that opened the session takes it over instead of asking the page again.
        /// Taken once; any navigation of the session drops it.
        /// </summary>
        internal object Landed { get; set; }

        internal long LandedAt { get; set; }

        /// <summary>How the opener lets go of this session's browser context (bounded); given by the opener that makes the context.</summary>
        private Func<IBrowserContext, Task> ReleaseContext { get; }

        /// <summary>The opt-in trace of this session's context, or null.</summary>
        internal Diagnostics.SessionTrace Trace { get; set; }

        internal SecureString Password { get; set; }

        internal SecureString TotpSecret { get; set; }

        internal bool CanSignIn => Password != null;

        /// <summary>One page operation at a time per session: a browser page is not re-entrant.</summary>
        internal SemaphoreSlim Gate { get; } = new SemaphoreSlim(1, 1);

        private bool _disposed;

        public override string ToString() => $"{Account} ({Marketplace})";

        public void Dispose()
        {
            var closing = CloseAsync();
            // Bounded inside (the trace's last part, then the context, then its browser); this wait is a
            // backstop, long enough that the last trace part is written before Disconnect returns.
            try { closing.Wait(TimeSpan.FromSeconds(30)); } catch (AggregateException) { }
        }

        /// <summary>Closes the context without blocking a thread; what the bulk runner uses for its short-lived sessions.</summary>
        internal async Task CloseAsync()
        {
            if (_disposed) return;
            _disposed = true;
            var context = Context;
            Context = null;
            Page = null;
            Password?.Dispose();
            TotpSecret?.Dispose();
            if (context == null) return;
            try
            {
                if (Trace != null) await Trace.StopAsync().ConfigureAwait(false); // bounded, and leaves secret-free files
            }
            catch (PlaywrightException)
            {
                // Already closed along with the browser.
            }
            // Bounded: the opener's release closes a context that does not close along with its browser.
            await ReleaseContext(context).ConfigureAwait(false);
        }
    }
}
