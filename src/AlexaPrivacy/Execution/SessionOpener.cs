// Opens sessions (saved state first, then a password sign-in) and brings a session's page to a
// privacy page, signing in again when Amazon expired the session and credentials are at hand.
using System;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using AlexaPrivacy.Browser;
using AlexaPrivacy.Diagnostics;
using AlexaPrivacy.Pages;
using AlexaPrivacy.Security;
using AlexaPrivacy.Site;
using Microsoft.Playwright;

namespace AlexaPrivacy.Execution
{
    internal sealed class ConnectRequest
    {
        public string Email { get; set; }
        public SecureString Password { get; set; }
        public SecureString TotpSecret { get; set; }
        public string Marketplace { get; set; }
        public Uri BaseUri { get; set; }
        public string SessionPath { get; set; }
        public string BrowserPath { get; set; }
        public SiteProfile Profile { get; set; }

        /// <summary>The privacy page to sign in towards; the hub when not given.</summary>
        public string LandingPath { get; set; }
    }

    internal static class SessionOpener
    {
        public const string DefaultMarketplace = "amazon.com";

        public static Uri ResolveBaseUri(SiteProfile profile, string marketplace, Uri baseUri)
        {
            if (baseUri == null) return new Uri("https://" + profile.Marketplace(marketplace).Host + "/");
            if (!baseUri.IsAbsoluteUri)
                throw AlexaException.InvalidInput($"-BaseUri must be an absolute URI such as https://www.amazon.com/; '{baseUri}' is not.");
            bool loopback = baseUri.IsLoopback || (IPAddress.TryParse(baseUri.Host, out var ip) && IPAddress.IsLoopback(ip));
            if (baseUri.Scheme == Uri.UriSchemeHttp && !loopback)
            {
                throw new AlexaException(AlexaErrorId.UnsafeOrigin, ErrorCategory.SecurityError,
                    $"-BaseUri '{baseUri}' uses plain http on a host that is not this machine; credentials are sent only over https, or over http to loopback.");
            }
            if (baseUri.Scheme != Uri.UriSchemeHttp && baseUri.Scheme != Uri.UriSchemeHttps)
                throw AlexaException.InvalidInput($"-BaseUri must be an http(s) URI; '{baseUri}' is not.");
            return new Uri(baseUri.GetLeftPart(UriPartial.Authority) + "/");
        }

        /// <summary>
        /// When a saved session was signed in: the file is written at sign-in and only then, so its
        /// time is the sign-in's, however often the file is reopened afterwards. Null when unknown.
        /// </summary>
        internal static DateTimeOffset? SavedAt(string sessionPath)
        {
            if (string.IsNullOrEmpty(sessionPath)) return null;
            try
            {
                var info = new System.IO.FileInfo(sessionPath);
                return info.Exists ? new DateTimeOffset(info.LastWriteTimeUtc).ToLocalTime() : (DateTimeOffset?)null;
            }
            catch (Exception e) when (e is System.IO.IOException || e is UnauthorizedAccessException)
            {
                return null;
            }
        }

        public static async Task<AlexaSession> OpenAsync(ConnectRequest request, Action<string> verbose, CancellationToken cancel)
        {
            if (string.IsNullOrWhiteSpace(request.Email))
                throw AlexaException.InvalidInput("The account has no email address (an Email, UserName or Account column, or -Email).");
            var profile = request.Profile ?? SiteProfile.Resolve();
            string marketplace = SiteProfile.NormalizeMarketplace(string.IsNullOrWhiteSpace(request.Marketplace) ? DefaultMarketplace : request.Marketplace);
            profile.Marketplace(marketplace); // unknown marketplace: a clear error before any browser work
            var baseUri = ResolveBaseUri(profile, marketplace, request.BaseUri);
            if (request.TotpSecret != null)
            {
                Totp.Validate(request.TotpSecret); // a malformed key is an input error, found before sign-in
            }

            var session = new AlexaSession(request.Email.Trim(), marketplace, baseUri, profile, BrowserHost.CloseContextAsync)
            {
                Password = request.Password?.Copy(),
                TotpSecret = request.TotpSecret?.Copy(),
                SessionPath = string.IsNullOrEmpty(request.SessionPath) ? null : System.IO.Path.GetFullPath(request.SessionPath),
            };
            try
            {
                // Checked again here, where it is used: the file may have changed since the row was read
                // (another row of the same run saved its own sign-in there).
                var file = SessionFile.Load(session.SessionPath);
                if (file != null) SessionFile.EnsureBelongs(file, session.SessionPath, session.Account, marketplace, profile, request.BaseUri);
                string saved = file?.State;
                if (saved == null && !session.CanSignIn)
                {
                    throw new AlexaException(AlexaErrorId.AuthenticationFailed, ErrorCategory.AuthenticationError,
                        $"No password and no saved session for {session.Account}.")
                    { RecommendedAction = "Give -Password or -Credential (or a Password column), or -SessionPath of a saved session." };
                }
                verbose?.Invoke(saved != null ? $"Opening {session.Account} from the saved session '{session.SessionPath}'." : $"Opening {session.Account} on {baseUri}.");
                session.Context = await BrowserHost.NewContextAsync(request.BrowserPath, false, saved, null, cancel, verbose).WithCancellation(cancel);
                PhaseClock.Lap("context");
                session.Context.SetDefaultTimeout(Waits.ActionTimeoutMs(session));
                session.Context.SetDefaultNavigationTimeout(Waits.NavigationTimeoutMs(session));
                session.Trace = await Diagnostics.SessionTrace.StartIfRequestedAsync(session.Context, session.Account).WithCancellation(cancel);
                string landing = request.LandingPath ?? profile.Paths.Hub;
                bool typed = await PrivacyPage.LandAsync(session, landing, verbose, cancel);
                PhaseClock.Lap("first page");
                await EnsureSameMarketplaceAsync(session, cancel);
                session.Reused = !typed;
                // Set by the sign-in itself when one was typed (just before it was saved).
                session.SignedInAt = typed ? session.SignedInAt ?? DateTimeOffset.Now : SavedAt(session.SessionPath) ?? DateTimeOffset.Now;
                return session;
            }
            catch (AlexaException e) when (!cancel.IsCancellationRequested)
            {
                await PageErrors.WithDiagnosticsAsync(e, session, "sign-in");
                await session.CloseAsync().ConfigureAwait(false);
                throw;
            }
            catch
            {
                // Bounded inside, and awaited rather than waited on: after Ctrl+C no pool thread sits
                // blocked on a close while the process exits.
                await session.CloseAsync().ConfigureAwait(false);
                throw;
            }
        }

        /// <summary>
        /// An account of another marketplace (or a saved session from one) signs in on that
        /// marketplace's site, and its settings there are not the ones asked for: say so instead of
        /// reporting the other marketplace's data under this one's name.
        /// </summary>
        private static async Task EnsureSameMarketplaceAsync(AlexaSession session, CancellationToken cancel)
        {
            var cookies = await session.Context.CookiesAsync(new[] { session.BaseUri.AbsoluteUri }).WithCancellation(cancel);
            string other = MarketplaceCookies.OtherMarketplace(session.Profile, session.Marketplace, cookies.Select(c => c.Name));
            if (other == null) return;
            throw new AlexaException(AlexaErrorId.WrongMarketplace, ErrorCategory.InvalidArgument,
                $"{session.Account} was given as an account of {session.Marketplace}, but {session.BaseUri.GetLeftPart(UriPartial.Authority)} signed it in to {other} (its cookies end in -{session.Profile.Marketplace(other).CookieSuffix}, not -{session.Profile.Marketplace(session.Marketplace).CookieSuffix}).")
            {
                RecommendedAction = $"Give -Marketplace {other} (or that Marketplace column) for this account, or check -BaseUri and -SessionPath.",
            };
        }

        /// <summary>
        /// Opens a visible browser at the marketplace's sign-in, where a person signs in (captcha, push
        /// approval, any step the module does not know); then moves the signed-in state into a headless
        /// context, checks it, and saves it to -SessionPath when given.
        /// </summary>
        public static async Task<AlexaSession> OpenInteractiveAsync(ConnectRequest request, Action<string> verbose, CancellationToken cancel)
        {
            if (string.IsNullOrWhiteSpace(request.Email))
                throw AlexaException.InvalidInput("The account has no email address (-Email).");
            var profile = request.Profile ?? SiteProfile.Resolve();
            string marketplace = SiteProfile.NormalizeMarketplace(string.IsNullOrWhiteSpace(request.Marketplace) ? DefaultMarketplace : request.Marketplace);
            profile.Marketplace(marketplace);
            var baseUri = ResolveBaseUri(profile, marketplace, request.BaseUri);
            var session = new AlexaSession(request.Email.Trim(), marketplace, baseUri, profile, BrowserHost.CloseContextAsync)
            {
                SessionPath = string.IsNullOrEmpty(request.SessionPath) ? null : System.IO.Path.GetFullPath(request.SessionPath),
            };
            // A saved sign-in of another account is not replaced by this one.
            var file = SessionFile.Load(session.SessionPath);
            if (file != null) SessionFile.EnsureBelongs(file, session.SessionPath, session.Account, marketplace, profile, request.BaseUri);
            string state;
            string typedEmail = null;
            var visible = await BrowserHost.NewContextAsync(request.BrowserPath, true, null, null, cancel, verbose).WithCancellation(cancel);
            try
            {
                visible.SetDefaultNavigationTimeout(Waits.NavigationTimeoutMs(session));
                var page = await visible.NewPageAsync().WithCancellation(cancel);
                session.Page = page; // for diagnostics if the wait fails
                // The person may change the email address in the window: the account is the one the
                // sign-in form sent to the site, and a sign-in of another account is not kept.
                page.Request += (sender, sent) => NoteTypedEmail(sent, baseUri, ref typedEmail);
                try
                {
                    await Navigation.NavigateAsync(session, page, PageText.Url(session, profile.Paths.Hub), cancel);
                }
                catch (TransientFault)
                {
                    // The person sees Amazon's answer in the window and can reload it there.
                }
                var flow = new SignInFlow(session, page, verbose);
                if (await flow.DetectAsync().WithCancellation(cancel) == SignInStep.Email && IsExpectedOrigin(page, baseUri))
                {
                    // The email address is not a secret; the person types the rest.
                    await page.Locator(profile.SignIn.EmailInput).Filter(new() { Visible = true }).First.FillAsync(session.Account).WithCancellation(cancel);
                }
                double seconds = profile.Timeouts.InteractiveSeconds;
                verbose?.Invoke($"A browser window shows Amazon's sign-in for {session.Account}; complete it there (captcha, approval, code). Waiting up to {seconds} s.");
                bool done = await Waits.WaitUntilAsync(async () =>
                    page.IsClosed || (Navigation.IsPrivacyPage(page, session)
                        && await new SignInFlow(session, page, null).DetectAsync() == SignInStep.None),
                    TimeSpan.FromSeconds(seconds), cancel);
                if (page.IsClosed)
                {
                    throw new AlexaException(AlexaErrorId.AuthenticationFailed, ErrorCategory.AuthenticationError,
                        $"The sign-in window for {session.Account} was closed before the sign-in finished.");
                }
                if (!done)
                {
                    throw new AlexaException(AlexaErrorId.Timeout, ErrorCategory.OperationTimeout,
                        $"The sign-in of {session.Account} in the browser window did not finish within {seconds} s.")
                    { RecommendedAction = "Run Connect-AlexaAccount -Interactive again, or raise timeouts.interactiveSeconds in a site profile override." };
                }
                string signedIn = Volatile.Read(ref typedEmail);
                if (signedIn != null && !string.Equals(signedIn, session.Account, StringComparison.OrdinalIgnoreCase))
                {
                    throw new AlexaException(AlexaErrorId.SessionAccountMismatch, ErrorCategory.InvalidArgument,
                        $"The sign-in in the window was made for {signedIn}, not for {session.Account}; it was neither kept nor saved.")
                    { RecommendedAction = $"Sign in as {session.Account} in the window, or run Connect-AlexaAccount -Interactive -Email {signedIn} with that account's own -SessionPath." };
                }
                state = await visible.StorageStateAsync().WithCancellation(cancel);
            }
            catch (AlexaException e) when (!cancel.IsCancellationRequested)
            {
                await PageErrors.WithDiagnosticsAsync(e, session, "interactive-sign-in");
                throw;
            }
            finally
            {
                session.Page = null;
                await BrowserHost.CloseWindowAsync(visible).ConfigureAwait(false);
            }

            try
            {
                session.Context = await BrowserHost.NewContextAsync(request.BrowserPath, false, state, null, cancel, verbose).WithCancellation(cancel);
                session.Context.SetDefaultTimeout(Waits.ActionTimeoutMs(session));
                session.Context.SetDefaultNavigationTimeout(Waits.NavigationTimeoutMs(session));
                session.Trace = await Diagnostics.SessionTrace.StartIfRequestedAsync(session.Context, session.Account).WithCancellation(cancel);
                await PrivacyPage.LandAsync(session, profile.Paths.Hub, verbose, cancel); // no password: fails if the state did not carry over
                session.SignedInAt = DateTimeOffset.Now;
                if (!string.IsNullOrEmpty(session.SessionPath))
                {
                    SessionStore.Save(session.SessionPath, await session.Context.StorageStateAsync().WithCancellation(cancel), session.Account, session.Marketplace, session.BaseUri);
                    verbose?.Invoke($"Saved the sign-in of {session.Account} to '{session.SessionPath}'.");
                }
                return session;
            }
            catch
            {
                await session.CloseAsync().ConfigureAwait(false);
                throw;
            }
        }

        private static bool IsExpectedOrigin(IPage page, Uri expected) => Navigation.IsExpectedOrigin(page.Url, expected);

        /// <summary>Keeps the email address that a form posted to the sign-in origin (the contract names the field "email"); nothing else of the form is kept.</summary>
        private static void NoteTypedEmail(IRequest sent, Uri baseUri, ref string typedEmail)
        {
            try
            {
                if (sent.Method != "POST" || !Navigation.IsExpectedOrigin(sent.Url, baseUri)) return;
                string body = sent.PostData;
                if (string.IsNullOrEmpty(body)) return;
                foreach (string pair in body.Split('&'))
                {
                    int equals = pair.IndexOf('=');
                    if (equals <= 0 || Unescape(pair.Substring(0, equals)) != "email") continue;
                    string email = Unescape(pair.Substring(equals + 1)).Trim();
                    if (email.Length > 0) Volatile.Write(ref typedEmail, email);
                }
            }
            catch (Exception e) when (e is PlaywrightException || e is UriFormatException || e is ArgumentException)
            {
                // A body that is not a form: it names no email.
            }
        }

        private static string Unescape(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));

        public static Task<IPage> PageAsync(AlexaSession session, CancellationToken cancel) => Navigation.PageAsync(session, cancel);

        /// <summary>How long a released page may take to reach about:blank before it is closed instead.</summary>
        private static readonly TimeSpan ParkBudget = TimeSpan.FromSeconds(2);

        /// <summary>
        /// Gives the session's page back, keeping its context (the cookies): the page is kept on
        /// about:blank for the session's next command (one page per process, see Navigation.ParkAsync),
        /// or closed. Bounded: a page that does not close in time takes its context with it (the session
        /// then signs in again, or reports that it cannot), and this never waits forever.
        /// </summary>
        public static async Task ReleasePageAsync(AlexaSession session)
        {
            var page = session.Page;
            session.Page = null;
            if (page == null || page.IsClosed) return;
            if (await Navigation.ParkAsync(page, ParkBudget).ConfigureAwait(false)) return;
            // Unlike BrowserHost.ClosePageAsync, a context that does not close leaves the browser to the other sessions.
            if (await Bounded.WithinAsync(() => page.CloseAsync(), BrowserHost.CloseBudget).ConfigureAwait(false)) return;
            var context = session.Context;
            if (context == null) return;
            await Bounded.WithinAsync(() => context.CloseAsync(), BrowserHost.CloseBudget).ConfigureAwait(false);
        }
    }
}
