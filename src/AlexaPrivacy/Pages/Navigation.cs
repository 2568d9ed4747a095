// Gets a privacy page on screen for a session: opens the session's page (with a WebAuthn
// authenticator that holds no passkey), navigates, signs in when Amazon asks, declines what Amazon
// offers after the sign-in, and backs off on transient answers. The only place that navigates.
using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using AlexaPrivacy.Security;
using Microsoft.Playwright;

namespace AlexaPrivacy.Pages
{
    internal static class Navigation
    {
        public static bool IsExpectedOrigin(string url, Uri expected)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var current)) return false;
            return string.Equals(current.Scheme, expected.Scheme, StringComparison.OrdinalIgnoreCase)
                && string.Equals(current.Host, expected.Host, StringComparison.OrdinalIgnoreCase)
                && current.Port == expected.Port;
        }

        /// <summary>Whether a URL is one of the privacy pages (or their requests) on the session's origin.</summary>
        public static bool IsPrivacyUrl(string url, AlexaSession session)
        {
            if (!IsExpectedOrigin(url, session.BaseUri)) return false;
            string hub = session.Profile.Paths.Hub;
            string prefix = hub.Substring(0, hub.LastIndexOf('/') + 1);
            return new Uri(url).AbsolutePath.StartsWith(prefix, StringComparison.Ordinal);
        }

        public static bool IsPrivacyPage(IPage page, AlexaSession session) => IsPrivacyUrl(page.Url, session);

        /// <summary>Whether the page shows <paramref name="path"/> (query aside).</summary>
        public static bool IsOn(IPage page, AlexaSession session, string path) =>
            page != null && !page.IsClosed && IsExpectedOrigin(page.Url, session.BaseUri)
            && string.Equals(new Uri(page.Url).AbsolutePath.TrimEnd('/'), path.TrimEnd('/'), StringComparison.Ordinal);

        /// <summary>The session's page, opened when it has none.</summary>
        public static async Task<IPage> PageAsync(AlexaSession session, CancellationToken cancel)
        {
            if (!session.IsOpen)
                throw new AlexaException(AlexaErrorId.NoSession, ErrorCategory.InvalidOperation, $"The session for {session.Account} is closed.")
                { RecommendedAction = "Run Connect-AlexaAccount again." };
            if (session.Page == null || session.Page.IsClosed)
            {
                var page = TakeParked(session);
                if (page == null)
                {
                    page = await session.Context.NewPageAsync().WithCancellation(cancel);
                    await AddEmptyAuthenticatorAsync(session.Context, page, cancel);
                }
                session.Page = page;
            }
            return session.Page;
        }

        // One released page per process is kept for its session's next command (Connect-AlexaAccount, then
        // a read, is the common case): it saves that command a new page and its renderer. It waits on
        // about:blank, so nothing of the page it showed is read again, and only one is kept, so that many
        // kept sessions still hold cookies, not renderers.
        private static readonly object ParkLock = new object();
        private static IPage _parked; // its Context says whose it is

        /// <summary>
        /// Keeps a page the session no longer uses, on about:blank, in place of the page kept before (which
        /// is closed). False when the page could not be sent to about:blank within the budget: the caller closes it.
        /// </summary>
        public static async Task<bool> ParkAsync(IPage page, TimeSpan budget)
        {
            try
            {
                var blank = page.GotoAsync("about:blank");
                if (await Task.WhenAny(blank, Task.Delay(budget)).ConfigureAwait(false) != blank)
                {
                    Waits.ObserveLater(blank);
                    return false;
                }
                await blank.ConfigureAwait(false);
            }
            catch (PlaywrightException)
            {
                return false; // closed meanwhile, or its context is gone
            }
            IPage previous;
            lock (ParkLock)
            {
                previous = _parked;
                _parked = page;
            }
            if (previous != null && !ReferenceEquals(previous, page)) await Browser.BrowserHost.ClosePageAsync(previous).ConfigureAwait(false);
            return true;
        }

        private static IPage TakeParked(AlexaSession session)
        {
            lock (ParkLock)
            {
                var page = _parked;
                if (page == null || !ReferenceEquals(page.Context, session.Context)) return null;
                _parked = null;
                return page.IsClosed ? null : page;
            }
        }

        /// <summary>
        /// A virtual WebAuthn authenticator with no credentials: a page that asks for a passkey is refused
        /// at once instead of waiting on a prompt nobody will answer. The module never clicks a control
        /// that sets a passkey up.
        /// </summary>
        public static async Task AddEmptyAuthenticatorAsync(IBrowserContext context, IPage page, CancellationToken cancel)
        {
            try
            {
                var cdp = await context.NewCDPSessionAsync(page).WithCancellation(cancel);
                await cdp.SendAsync("WebAuthn.enable", new Dictionary<string, object> { ["enableUI"] = false }).WithCancellation(cancel);
                await cdp.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
                {
                    ["options"] = new Dictionary<string, object>
                    {
                        ["protocol"] = "ctap2",
                        ["transport"] = "internal",
                        ["hasResidentKey"] = true,
                        ["hasUserVerification"] = true,
                        ["isUserVerified"] = false,
                        // With presence simulated and no credential, a passkey request is refused at once
                        // (NotAllowedError in milliseconds); without it Chromium waits for the request's whole timeout.
                        ["automaticPresenceSimulation"] = true,
                    },
                }).WithCancellation(cancel);
            }
            catch (PlaywrightException)
            {
                // Not Chromium, or a browser without the WebAuthn domain: the password route still works.
            }
        }

        /// <summary>One navigation: a transient status is a TransientFault; no answer at all is AlexaTimeout.</summary>
        public static async Task NavigateAsync(AlexaSession session, IPage page, string url, CancellationToken cancel)
        {
            for (int attempt = 1; ; attempt++)
            {
                IResponse response;
                try
                {
                    response = await page.GotoAsync(url, new PageGotoOptions { WaitUntil = WaitUntilState.DOMContentLoaded, Timeout = Waits.NavigationTimeoutMs(session) }).WithCancellation(cancel);
                }
                catch (PlaywrightException e) when (attempt < 3 && e.Message.IndexOf("interrupted by another navigation", StringComparison.Ordinal) >= 0)
                {
                    // The page sent itself elsewhere meanwhile (after a 401 it goes to the sign-in page): let it, then go again.
                    try { await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded, new() { Timeout = Waits.NavigationTimeoutMs(session) }).WithCancellation(cancel); } catch (TimeoutException) { }
                    continue;
                }
                catch (PlaywrightException e) when (ThrottlePolicy.IsTransientNetworkError(e.Message))
                {
                    throw new TransientFault(0, $"{new Uri(url).AbsolutePath} (the connection dropped)");
                }
                catch (TimeoutException e)
                {
                    throw new AlexaException(AlexaErrorId.Timeout, ErrorCategory.OperationTimeout,
                        $"{new Uri(url).AbsolutePath} did not answer within {session.Profile.Timeouts.NavigationSeconds} s for {session.Account}.", e)
                    { RecommendedAction = "Run the command again later; raise timeouts.navigationSeconds in a site profile override when Amazon is slow from here." };
                }
                if (response != null && ThrottlePolicy.IsTransient(response.Status)) throw TransientFault.Answered(response, new Uri(url).AbsolutePath);
                return;
            }
        }

        /// <summary>
        /// Brings the session's page to the privacy page <paramref name="path"/>, signing in when Amazon
        /// asks (and when a password is at hand). Returns true when a password or code was typed.
        /// The page's own data is the page object's to wait for.
        /// </summary>
        public static async Task<bool> GoToAsync(AlexaSession session, string path, ThrottlePolicy policy, Action<string> verbose, CancellationToken cancel)
        {
            session.Landed = null; // what the sign-in landed on is not on screen once this navigates
            var page = await PageAsync(session, cancel);
            string url = PageText.Url(session, path);
            SignInFlow flow = null;
            string resume = url;
            bool navigate = true;
            for (int round = 0; round < 60; round++)
            {
                try
                {
                    flow = flow ?? new SignInFlow(session, page, verbose);
                    if (navigate)
                    {
                        navigate = false;
                        await NavigateAsync(session, page, resume, cancel);
                        // A sign-in page that arrived is progress in the sign-in (the tries count again
                        // from 1), and where to come back to after its next transient answer. A privacy
                        // page is progress only once its data shows: the page object says so.
                        if (!IsPrivacyPage(page, session))
                        {
                            policy.Progress();
                            flow.SafePoint = page.Url;
                        }
                    }
                    var step = await flow.DetectSettledAsync(cancel);
                    if (step == SignInStep.None)
                    {
                        flow.SafePoint = null; // signed in: the privacy page itself is where to come back to
                        if (!IsOn(page, session, path))
                        {
                            // Amazon sends the browser back where it came from; go on to the page asked for.
                            resume = url;
                            navigate = true;
                            continue;
                        }
                        if (flow.Started)
                        {
                            Diagnostics.PhaseClock.Lap("sign-in");
                            session.SignedInAt = DateTimeOffset.Now;
                            session.Reused = false;
                            if (!string.IsNullOrEmpty(session.SessionPath))
                            {
                                SessionStore.Save(session.SessionPath, await session.Context.StorageStateAsync().WithCancellation(cancel), session.Account, session.Marketplace, session.BaseUri);
                                verbose?.Invoke($"Saved the sign-in of {session.Account} to '{session.SessionPath}'.");
                            }
                        }
                        return flow.Typed;
                    }
                    if (!flow.Started && IsCredentialStep(step) && session.SignedInAt != null)
                    {
                        if (!session.CanSignIn)
                        {
                            throw new AlexaException(AlexaErrorId.SessionExpired, ErrorCategory.AuthenticationError,
                                $"Amazon ended the session of {session.Account} and no password is at hand to sign in again.")
                            { RecommendedAction = "Run Connect-AlexaAccount again (with -SessionPath to save the new sign-in)." };
                        }
                        verbose?.Invoke($"Amazon ended the session of {session.Account}; signing in again.");
                    }
                    await flow.StepAsync(step, cancel);
                    policy.Progress();
                }
                catch (TransientFault fault)
                {
                    await policy.BackOffAsync(fault);
                    // From the last page a GET can show again: the sign-in page of this flow, or the privacy page.
                    resume = flow.SafePoint ?? url;
                    flow.Restart();
                    navigate = true;
                }
            }
            throw await PageErrors.PageChangedAsync(page, session, "sign-in", "way back to the privacy pages after every known step", AlexaErrorId.AuthenticationFailed);
        }

        private static bool IsCredentialStep(SignInStep step) =>
            step == SignInStep.Email || step == SignInStep.Password || step == SignInStep.OneTimeCode || step == SignInStep.Passkey;
    }
}
