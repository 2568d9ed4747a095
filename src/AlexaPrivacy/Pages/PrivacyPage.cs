// The base of every privacy page object: "get this page on screen, signed in, with its data
// rendered", one way to retry (the session's ThrottlePolicy), and one click that waits for the
// page's answer. A page object adds only its own page's words and actions.
using System;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using AlexaPrivacy.Site;
using Microsoft.Playwright;

namespace AlexaPrivacy.Pages
{
    internal abstract class PrivacyPage
    {
        protected PrivacyPage(AlexaSession session, Action<string> verbose, CancellationToken cancel)
        {
            Session = session;
            Verbose = verbose ?? (_ => { });
            Cancel = cancel;
            Policy = new ThrottlePolicy(session, Verbose, cancel);
            Labels = PageText.Labels(session);
        }

        protected AlexaSession Session { get; }

        protected Action<string> Verbose { get; }

        protected CancellationToken Cancel { get; }

        protected ThrottlePolicy Policy { get; }

        protected LanguageLabels Labels { get; }

        protected IPage Page { get; private set; }

        /// <summary>True when loading this page typed a password or code.</summary>
        public bool SignedInHere { get; private set; }

        /// <summary>The page's name as Amazon shows it, for messages.</summary>
        public abstract string Name { get; }

        protected abstract string PagePath { get; }

        protected abstract string HeadingText { get; }

        protected TimeSpan ActionTimeout => TimeSpan.FromSeconds(Session.Profile.Timeouts.ActionSeconds);

        protected TimeSpan NavigationTimeout => TimeSpan.FromSeconds(Session.Profile.Timeouts.NavigationSeconds);

        protected ILocator Heading() =>
            Page.GetByRole(AriaRole.Heading, new() { NameRegex = PageText.WholeLabel(HeadingText) }).Filter(new() { Visible = true });

        /// <summary>A visible button (native or role=button) whose whole name is <paramref name="label"/>.</summary>
        protected ILocator Button(string label, ILocator within = null) =>
            (within == null ? Page.GetByRole(AriaRole.Button, new() { NameRegex = PageText.WholeLabel(label) })
                : within.GetByRole(AriaRole.Button, new() { NameRegex = PageText.WholeLabel(label) })).Filter(new() { Visible = true });

        /// <summary>Whether the page shows its data; the heading is checked first. Not asked when <see cref="RenderedControls"/> gives a locator.</summary>
        protected virtual Task<bool> IsRenderedAsync() => Task.FromResult(true);

        /// <summary>Controls of which one shows that the page rendered its data: then the heading and they are one question.</summary>
        protected virtual ILocator RenderedControls() => null;

        /// <summary>What a page needs once rendered (the 2019 page opens its boxes).</summary>
        protected virtual Task AfterLoadAsync() => Task.CompletedTask;

        /// <summary>What the page is missing when it never renders its data, for AlexaPageChanged.</summary>
        protected virtual string MissingWhenNotRendered => "data this module knows (no label of the site profile was found)";

        /// <summary>
        /// The usual rendered page as controls that show and what does not show with them, when that one
        /// question also answers what <see cref="AfterLoadAsync"/> would ask (<see cref="LookedPlain"/>); null otherwise.
        /// </summary>
        protected virtual (ILocator Shows, ILocator Absent)? PlainRendered() => null;

        /// <summary>Whether the last look found the page as <see cref="PlainRendered"/> describes it, and nothing of the page was answered since.</summary>
        protected bool LookedPlain { get; private set; }

        private async Task<bool> IsShownAsync()
        {
            LookedPlain = false;
            var rendered = RenderedControls();
            if (rendered == null) return await Waits.IsPresentAsync(Heading()) && await IsRenderedAsync();
            var root = Page.Locator(":root").Filter(new() { Has = Heading() });
            var plain = PlainRendered();
            if (plain != null && await Waits.IsPresentAsync(root.Filter(new() { Has = plain.Value.Shows }).Filter(new() { HasNot = plain.Value.Absent })))
            {
                return LookedPlain = true;
            }
            // The document holds both the heading and one of the controls: one look at the page instead of two.
            return await Waits.IsPresentAsync(root.Filter(new() { Has = rendered }));
        }

        /// <summary>Takes the page on screen as it is, for a step on a page that another part has already shown.</summary>
        protected void Adopt(IPage page) => Page = page;

        /// <summary>
        /// Gets the page on screen with its data rendered. With <paramref name="reuse"/>, a page that
        /// already shows it (the sign-in landed there) is taken as it is.
        /// </summary>
        protected async Task LoadAsync(bool reuse)
        {
            Page = await Navigation.PageAsync(Session, Cancel);
            if (reuse && Navigation.IsOn(Page, Session, PagePath) && await IsShownAsync())
            {
                await AfterLoadAsync();
                return;
            }
            await RetryingAsync(async () => { await ShowOnceAsync(); return true; }, reloadOnTransient: true, reloadOnSessionEnd: true, isDone: () => Task.FromResult(true));
        }

        /// <summary>Lands the sign-in on the privacy page <paramref name="path"/> with its data rendered; true when a password was typed.</summary>
        public static async Task<bool> LandAsync(AlexaSession session, string path, Action<string> verbose, CancellationToken cancel)
        {
            PrivacyPage page = path == session.Profile.Paths.Settings ? new DataSettingsPage(session, verbose, cancel)
                : path == session.Profile.Paths.VoiceHistory ? (PrivacyPage)new VoiceHistoryPage(session, verbose, cancel)
                : new HubPage(session, verbose, cancel);
            await page.LoadAsync(reuse: false);
            session.Landed = page;
            session.LandedAt = System.Diagnostics.Stopwatch.GetTimestamp();
            return page.SignedInHere;
        }

        /// <summary>How old a landing may be and still be taken over without a look at the page.</summary>
        private static readonly TimeSpan LandedFreshness = TimeSpan.FromSeconds(5);

        /// <summary>
        /// The page the sign-in landed on, when it is a <typeparamref name="T"/> still on screen: the same
        /// browser page, still at its path, no navigation since, and landed moments ago (the command that
        /// opened the session, not a later one). Taken once; null otherwise.
        /// </summary>
        protected static T TakeLanded<T>(AlexaSession session) where T : PrivacyPage
        {
            var landed = session.Landed as T;
            long at = session.LandedAt;
            session.Landed = null;
            if (landed == null || landed.Page == null || !ReferenceEquals(landed.Page, session.Page)) return null;
            var age = TimeSpan.FromSeconds((System.Diagnostics.Stopwatch.GetTimestamp() - at) / (double)System.Diagnostics.Stopwatch.Frequency);
            if (age < TimeSpan.Zero || age > LandedFreshness) return null;
            return Navigation.IsOn(landed.Page, session, landed.PagePath) ? landed : null;
        }

        private async Task ShowOnceAsync()
        {
            using (var watch = new PageLoadWatch(Page))
            {
                SignedInHere |= await Navigation.GoToAsync(Session, PagePath, Policy, Verbose, Cancel);
                await WaitForRenderAsync(watch);
            }
            await AfterLoadAsync();
        }

        /// <summary>How long unanswered requests of the page may keep it from being looked at (one that never ends must not).</summary>
        private static readonly TimeSpan QuietBudget = TimeSpan.FromSeconds(3);

        private async Task WaitForRenderAsync(PageLoadWatch watch)
        {
            bool throttleWords = false;
            bool shown = false;
            var looked = (Documents: 0, Answered: 0);
            bool held = await Waits.WaitUntilAsync(async () =>
            {
                if (watch.SessionEnded || !Navigation.IsPrivacyPage(Page, Session)) return true;
                // The page renders once its requests are answered: until then a look costs the browser work and shows nothing.
                if (watch.Busy(QuietBudget)) return false;
                looked = (watch.Documents, watch.DataAnswered);
                if (shown = await IsShownAsync()) return true;
                if (watch.TransientStatus != 0 && watch.Unanswered == 0) return true;
                throttleWords = await ShowsThrottleWordsAsync();
                return throttleWords;
            }, NavigationTimeout, Cancel, watch.NextChange);
            if (watch.SessionEnded || !Navigation.IsPrivacyPage(Page, Session))
                throw new SessionEndedFault($"the {Name} page");
            // What the last look saw stands; only a wait that ran out looks once more.
            if (!shown && !held) looked = (watch.Documents, watch.DataAnswered);
            if (shown || (!held && await IsShownAsync()))
            {
                // A page whose stylesheet or script did not arrive may show its words and still be
                // half-rendered (a switch without its style has no size): load it again.
                await Waits.WaitUntilAsync(() => Task.FromResult(watch.Unanswered == 0), TimeSpan.FromSeconds(2), Cancel, watch.NextChange);
                // Data that arrived after the look may have changed what it saw.
                if (looked != (watch.Documents, watch.DataAnswered) || watch.Unanswered > 0) LookedPlain = false;
                if (watch.TransientStatus > 0) throw new TransientFault(watch.TransientStatus, $"{watch.TransientPath}, a request of the {Name} page");
                if (watch.TransientStatus < 0) throw new TransientFault(0, $"the {Name} page ({watch.TransientPath} failed)");
                return;
            }
            if (watch.TransientStatus > 0) throw new TransientFault(watch.TransientStatus, $"{watch.TransientPath}, a request of the {Name} page");
            if (watch.TransientStatus < 0) throw new TransientFault(0, $"the {Name} page ({watch.TransientPath} failed)");
            if (throttleWords) throw new TransientFault(0, $"the {Name} page (it reads Amazon's 'too many requests')");
            if (watch.Unanswered > 0)
            {
                throw new AlexaException(AlexaErrorId.Timeout, ErrorCategory.OperationTimeout,
                    $"The {Name} page for {Session.Account} did not get its data within {Session.Profile.Timeouts.NavigationSeconds} s: Amazon did not answer the page's request.")
                { RecommendedAction = "Run the command again later; raise timeouts.navigationSeconds in a site profile override when Amazon is slow from here." };
            }
            if (await IsBlankAsync()) throw new TransientFault(0, $"the {Name} page (it stayed empty)");
            if (!await Waits.IsPresentAsync(Heading()))
                throw await PageErrors.PageChangedAsync(Page, Session, Name, $"heading '{HeadingText}'");
            throw await PageErrors.PageChangedAsync(Page, Session, Name, MissingWhenNotRendered);
        }

        private async Task<bool> ShowsThrottleWordsAsync()
        {
            var words = Session.Profile.Languages.Values.Select(l => l?.SignIn?.Throttled).Where(t => t != null).SelectMany(t => t).Distinct();
            foreach (string w in words)
            {
                if (await Waits.IsVisibleAsync(Page.GetByText(w))) return true;
            }
            return false;
        }

        private async Task<bool> IsBlankAsync()
        {
            try
            {
                return string.IsNullOrWhiteSpace(await Page.Locator("body").InnerTextAsync(new() { Timeout = 5_000 }));
            }
            catch (Exception e) when (e is PlaywrightException || e is TimeoutException)
            {
                return true;
            }
        }

        /// <summary>
        /// Runs an action on the page. A transient answer backs off and tries again: on the page as it is,
        /// or (<paramref name="reloadOnTransient"/>) after loading it again, asking <paramref name="isDone"/>
        /// whether the earlier try was kept after all. A session Amazon ended is signed in again once when
        /// <paramref name="reloadOnSessionEnd"/> (a reload loses what the view showed, such as filters).
        /// Bounded by the policy.
        /// </summary>
        protected async Task<T> RetryingAsync<T>(Func<Task<T>> action, bool reloadOnTransient, bool reloadOnSessionEnd, Func<Task<bool>> isDone = null)
        {
            bool signedInAgain = false, reload = false;
            Policy.Progress();
            while (true)
            {
                try
                {
                    if (reload)
                    {
                        reload = false;
                        await ShowOnceAsync();
                        if (isDone != null && await isDone()) return default(T);
                    }
                    var result = await action();
                    Policy.Progress();
                    return result;
                }
                catch (TransientFault fault)
                {
                    await Policy.BackOffAsync(fault);
                    reload = reloadOnTransient;
                }
                catch (SessionEndedFault fault)
                {
                    if (signedInAgain || !Session.CanSignIn || !reloadOnSessionEnd)
                    {
                        throw new AlexaException(AlexaErrorId.SessionExpired, ErrorCategory.AuthenticationError,
                            signedInAgain
                                ? $"Amazon ended the session of {Session.Account} again right after a new sign-in."
                                : !Session.CanSignIn
                                    ? $"Amazon ended the session of {Session.Account} and no password is at hand to sign in again."
                                    : $"Amazon ended the session of {Session.Account} during {fault.Message}; nothing more was done, to be safe.")
                        { RecommendedAction = "Run Connect-AlexaAccount again (with -SessionPath to save the new sign-in), then the command." };
                    }
                    signedInAgain = true;
                    Verbose($"Amazon ended the session of {Session.Account} on the {Name} page; signing in again.");
                    await SettleAsync();
                    reload = true;
                }
            }
        }

        /// <summary>After a 401 the page sends itself to the sign-in page: let that navigation finish before navigating again.</summary>
        private async Task SettleAsync()
        {
            try
            {
                await Page.WaitForLoadStateAsync(LoadState.DOMContentLoaded, new() { Timeout = Waits.NavigationTimeoutMs(Session) }).WithCancellation(Cancel);
            }
            catch (TimeoutException)
            {
                // The next navigation reports its own timeout.
            }
        }

        /// <summary>Clicks like a person; when something is laid over the control, the click goes to the control itself.</summary>
        protected async Task ClickAsync(ILocator control)
        {
            try
            {
                await control.ClickAsync(new() { Timeout = (float)(ActionTimeout.TotalMilliseconds / 2) }).WithCancellation(Cancel);
            }
            catch (TimeoutException)
            {
                await control.DispatchEventAsync("click", null, new() { Timeout = (float)(ActionTimeout.TotalMilliseconds / 2) }).WithCancellation(Cancel);
            }
        }

        /// <summary>
        /// Clicks a control that makes the page send a change, and waits for the page's request to be
        /// answered: transient answers and an ended session are for RetryingAsync, a refusal is an error.
        /// </summary>
        protected async Task ClickForAnswerAsync(ILocator control, Func<IResponse, bool> isAnswer, string what)
        {
            var answered = AnswerAsync(isAnswer, Cancel);
            await ClickAsync(control);
            await ReadAnswerAsync(answered, what);
        }

        /// <summary>
        /// Clicks a control whose change the page may first ask to confirm: when a dialog with
        /// <paramref name="confirmLabel"/> appears (a moment after the click), confirms it; either way waits
        /// for the page's request to be answered.
        /// </summary>
        protected async Task ClickAndConfirmAsync(ILocator control, string confirmLabel, Func<IResponse, bool> isAnswer, string what, bool confirmationExpected)
        {
            using (var unanswered = CancellationTokenSource.CreateLinkedTokenSource(Cancel))
            {
                var answered = AnswerAsync(isAnswer, unanswered.Token);
                await ClickAsync(control);
                var dialog = Page.GetByRole(AriaRole.Dialog).Or(Page.GetByRole(AriaRole.Alertdialog));
                var confirm = Button(confirmLabel, dialog);
                // Where a confirmation is expected, an answer to some other request of the page must not be taken for the change's.
                bool asked = false;
                bool settled = await Waits.WaitUntilAsync(async () => (!confirmationExpected && answered.IsCompleted) || (asked = await Waits.IsPresentAsync(confirm)),
                    confirmationExpected ? ActionTimeout : NavigationTimeout, Cancel);
                // The dialog may come a moment after the page's answer: look once more unless it was just seen.
                if (asked || await Waits.IsPresentAsync(confirm))
                {
                    // The answer that counts is the one to the confirmation: the wait for the first ends here.
                    unanswered.Cancel();
                    await ClickForAnswerAsync(confirm.First, isAnswer, what);
                    return;
                }
                if (!settled && confirmationExpected && !answered.IsCompleted)
                {
                    throw await PageErrors.PageChangedAsync(Page, Session, Name, $"confirmation with a '{confirmLabel}' button for {what}");
                }
                await ReadAnswerAsync(answered, what);
            }
        }

        /// <summary>The next answer to a request the page sends by itself (not a page load), started before the click that causes it.</summary>
        private Task<IResponse> AnswerAsync(Func<IResponse, bool> isAnswer, CancellationToken stop)
        {
            return PageNetwork.Of(Page).NextResponseAsync(r => r.Request.Method != "GET" && r.Request.ResourceType != "document" && isAnswer(r),
                NavigationTimeout, stop);
        }

        private async Task ReadAnswerAsync(Task<IResponse> answered, string what)
        {
            IResponse response;
            try
            {
                response = await answered.WithCancellation(Cancel);
            }
            catch (TimeoutException e)
            {
                throw new AlexaException(AlexaErrorId.Timeout, ErrorCategory.OperationTimeout,
                    $"The {Name} page did not send {what} for {Session.Account} within {Session.Profile.Timeouts.NavigationSeconds} s.", e);
            }
            if (ThrottlePolicy.IsTransient(response.Status)) throw new TransientFault(response.Status, what);
            if (SessionEndedFault.Ends(response.Status)) throw new SessionEndedFault(what);
            if (response.Status >= 400)
            {
                throw new AlexaException(AlexaErrorId.ChangeNotPersisted, ErrorCategory.InvalidResult,
                    $"Amazon answered {response.Status} to {what} for {Session.Account}.");
            }
        }

        /// <summary>Waits for a condition of the page (bounded by the action timeout).</summary>
        protected Task<bool> WaitForAsync(Func<Task<bool>> condition) => Waits.WaitUntilAsync(condition, ActionTimeout, Cancel);
    }

    /// <summary>The privacy hub: where a sign-in lands when no other page is asked for.</summary>
    internal sealed class HubPage : PrivacyPage
    {
        public HubPage(AlexaSession session, Action<string> verbose, CancellationToken cancel)
            : base(session, verbose, cancel)
        {
        }

        public override string Name => "Alexa Privacy";

        protected override string PagePath => Session.Profile.Paths.Hub;

        protected override string HeadingText =>
            Labels.Hub != null && Labels.Hub.TryGetValue("heading", out var h) && !string.IsNullOrWhiteSpace(h) ? h : "Alexa Privacy";
    }
}
