// Amazon's classic sign-in, one step at a time as a person does it: email, passkey offer (declined
// for the password), password, one-time code, interstitials (declined). Each step is recognised by
// its visible elements, not its URL; no secret is typed off the expected origin; a password or code
// is typed again only after its earlier submission got no answer or a transient one, never after
// Amazon said it was wrong.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using AlexaPrivacy.Browser;
using AlexaPrivacy.Diagnostics;
using AlexaPrivacy.Security;
using AlexaPrivacy.Site;
using Microsoft.Playwright;

namespace AlexaPrivacy.Pages
{
    internal enum SignInStep
    {
        /// <summary>A privacy page: the sign-in is over (or was never asked for).</summary>
        None,
        Email,
        Password,
        OneTimeCode,
        Captcha,
        Approval,
        Locked,
        Throttled,
        /// <summary>The offer to use a passkey, with a way to use the password instead.</summary>
        Passkey,
        /// <summary>A page after the last step that asks for something ("Add mobile number"), with "Not now".</summary>
        Interstitial,
        /// <summary>A page with nothing on it: a document or script that did not arrive.</summary>
        Blank,
        /// <summary>A page the module does not recognise; never typed into.</summary>
        Unknown,
    }

    internal sealed class SignInFlow
    {
        private readonly AlexaSession _session;
        private readonly IPage _page;
        private readonly SignInSelectors _ids;
        private readonly List<SignInTexts> _texts;
        private readonly Action<string> _verbose;
        private bool _emailSent, _passwordSent, _codeSent;
        /// <summary>The address of the page the last look found plain: its step needs no further look; null otherwise.</summary>
        private string _plainUrl;
        private int _declined;

        public SignInFlow(AlexaSession session, IPage page, Action<string> verbose)
        {
            _session = session;
            _page = page;
            _ids = session.Profile.SignIn;
            // The page's language first; sign-in pages may come in the marketplace's own language all the same.
            var first = PageText.Labels(session)?.SignIn;
            _texts = new List<SignInTexts>();
            if (first != null) _texts.Add(first);
            _texts.AddRange(session.Profile.Languages.Values.Select(l => l?.SignIn).Where(t => t != null && !ReferenceEquals(t, first)));
            _verbose = verbose ?? (_ => { });
        }

        /// <summary>True once a password or code was typed in this flow.</summary>
        public bool Typed { get; private set; }

        /// <summary>True once any step was taken (the session had to sign in).</summary>
        public bool Started { get; private set; }

        /// <summary>The last sign-in page that a GET can show again: where to go on after a transient answer.</summary>
        public string SafePoint { get; set; }

        /// <summary>After a transient answer the last submission counts as unanswered: its step may be done again.</summary>
        public void Restart()
        {
            _emailSent = _passwordSent = _codeSent = false;
        }

        private IEnumerable<string> Texts(Func<SignInTexts, IEnumerable<string>> pick) =>
            _texts.SelectMany(t => pick(t) ?? Enumerable.Empty<string>()).Where(s => !string.IsNullOrWhiteSpace(s)).Distinct();

        private IEnumerable<string> Text(Func<SignInTexts, string> pick) => Texts(t => new[] { pick(t) });

        private ILocator Visible(string selector) => _page.Locator(selector).Filter(new() { Visible = true });

        /// <summary>A visible button or link whose whole name is one of the labels.</summary>
        private ILocator Control(IEnumerable<string> labels)
        {
            ILocator any = null;
            foreach (string label in labels)
            {
                var name = PageText.WholeLabel(label);
                var one = _page.GetByRole(AriaRole.Button, new() { NameRegex = name }).Or(_page.GetByRole(AriaRole.Link, new() { NameRegex = name }));
                any = any == null ? one : any.Or(one);
            }
            return any?.Filter(new() { Visible = true });
        }

        /// <summary>Which step the page shows now.</summary>
        public async Task<SignInStep> DetectAsync()
        {
            // "Password assistance" before the email step: that page asks for an email address too
            // (Amazon's own carries #ap_email), and taking it for the email step would hide the lock.
            // A page with a password, code or captcha field is a step of its own, so only a page with
            // the email field or with none is asked for the heading (a look at every heading's name),
            // and the first question (any field) asks for the heading too: a page with neither, such
            // as the privacy page the sign-in lands on, is known in one question.
            var locked = Text(t => t.Locked).ToList();
            var lockedHeading = locked.Count > 0 ? _page.GetByRole(AriaRole.Heading, new() { NameRegex = PageText.WholeLabelOfAny(locked) }) : null;
            _plainUrl = null;
            var (field, seen, plain) = await VisibleFieldAsync(lockedHeading);
            if (plain)
            {
                _plainUrl = _page.Url;
                return field.Value;
            }
            if (seen && (field == null || field == SignInStep.Email) && lockedHeading != null && await Waits.IsPresentAsync(lockedHeading))
                return SignInStep.Locked;
            if (field != null) return field.Value;
            if (Navigation.IsPrivacyPage(_page, _session)) return SignInStep.None;
            var route = Control(Texts(t => t.PasswordRoute));
            if (route != null && await Waits.IsPresentAsync(route)) return SignInStep.Passkey;
            var decline = Control(Texts(t => t.Decline));
            if (decline != null && await Waits.IsPresentAsync(decline)) return SignInStep.Interstitial;
            string text = await BodyTextAsync();
            if (Text(t => t.Approval).Any(a => text.Contains(a))) return SignInStep.Approval;
            if (Texts(t => t.Throttled).Any(w => text.Contains(w))) return SignInStep.Throttled;
            if (string.IsNullOrWhiteSpace(text)) return SignInStep.Blank;
            return SignInStep.Unknown;
        }

        /// <summary>
        /// The step whose field the page shows (in this order: code, captcha, password, email), or null;
        /// Seen is false when the page showed none of them and nothing of <paramref name="alsoAsked"/>.
        /// On a sign-in page the step this flow expects next is asked for first, in one question: its
        /// field shows, and nothing that would change what is done with it (a field that comes before it
        /// in that order, the error box, for the email step <paramref name="alsoAsked"/>, for the password
        /// step a visible email field). Such a page is Plain: its step needs no further look. Otherwise the
        /// expected field, then the fields before it in one question; otherwise one question for all four
        /// (and <paramref name="alsoAsked"/>), then one per field in that order. Only counts: they run in
        /// Playwright's own world of the page, where a question that evaluates script on the elements runs
        /// in the page's main world and costs the browser a second copy of Playwright's injected script in
        /// every new document.
        /// </summary>
        private async Task<(SignInStep? Field, bool Seen, bool Plain)> VisibleFieldAsync(ILocator alsoAsked)
        {
            var fields = new[]
            {
                (Step: SignInStep.OneTimeCode, Selector: _ids.OtpInput),
                (Step: SignInStep.Captcha, Selector: _ids.CaptchaGuess),
                (Step: SignInStep.Password, Selector: _ids.PasswordInput),
                (Step: SignInStep.Email, Selector: _ids.EmailInput),
            };
            ILocator AnyOf(IEnumerable<string> selectors) => selectors.Select(s => _page.Locator(s)).Aggregate((a, b) => a.Or(b)).Filter(new() { Visible = true });
            // A privacy page (where every reload and landing is) has no field to expect.
            var expected = Navigation.IsPrivacyPage(_page, _session) ? null : ExpectedStep();
            int at = expected == null ? -1 : Array.FindIndex(fields, f => f.Step == expected.Value);
            if (at >= 0)
            {
                var step = fields[at].Step;
                var expectedField = Visible(fields[at].Selector);
                var earlier = fields.Take(at).Select(f => f.Selector).ToList();
                var others = earlier.Append(_ids.ErrorBox);
                if (step == SignInStep.Password) others = others.Append(_ids.EmailInput);
                var against = AnyOf(others);
                if (step == SignInStep.Email && alsoAsked != null) against = against.Or(alsoAsked);
                var plain = _page.Locator(":root").Filter(new() { Has = expectedField }).Filter(new() { HasNot = against });
                if (await Waits.IsPresentAsync(plain)) return (step, true, true);
                if (await Waits.IsPresentAsync(expectedField))
                {
                    if (at == 0 || !await Waits.IsPresentAsync(AnyOf(earlier))) return (step, true, false);
                    // A field that comes first shows too: asked one by one below.
                }
            }
            var any = AnyOf(fields.Select(f => f.Selector));
            if (alsoAsked != null) any = any.Or(alsoAsked);
            if (!await Waits.IsPresentAsync(any)) return (null, false, false);
            foreach (var field in fields)
            {
                if (await Waits.IsPresentAsync(Visible(field.Selector))) return (field.Step, true, false);
            }
            return (null, true, false);
        }

        /// <summary>The step whose field this flow would fill next, if the sign-in goes as usual.</summary>
        private SignInStep? ExpectedStep() =>
            !_emailSent ? SignInStep.Email
            : !_passwordSent ? SignInStep.Password
            : !_codeSent && !SecretText.IsEmpty(_session.TotpSecret) ? SignInStep.OneTimeCode
            : (SignInStep?)null;

        /// <summary>Waits (bounded) until the page shows something known; a page still loading is not yet unknown.</summary>
        public async Task<SignInStep> DetectSettledAsync(CancellationToken cancel)
        {
            var step = SignInStep.Unknown;
            await Waits.WaitUntilAsync(async () =>
            {
                step = await DetectAsync();
                return step != SignInStep.Unknown && step != SignInStep.Blank;
            }, TimeSpan.FromSeconds(Math.Min(10, _session.Profile.Timeouts.ActionSeconds)), cancel);
            return step;
        }

        private async Task<string> BodyTextAsync()
        {
            try
            {
                return await _page.Locator("body").InnerTextAsync(new() { Timeout = 5_000 }) ?? "";
            }
            catch (PlaywrightException)
            {
                return "";
            }
            catch (TimeoutException)
            {
                return "";
            }
        }

        /// <summary>Takes the step the page shows: types, declines or chooses, and submits.</summary>
        public async Task StepAsync(SignInStep step, CancellationToken cancel)
        {
            // A page the last look found plain (see VisibleFieldAsync) showed no error box and nothing else to look at.
            bool plain = _plainUrl != null && _plainUrl == _page.Url;
            _plainUrl = null;
            if (!plain) await ThrowOnErrorBoxAsync(step);
            switch (step)
            {
                case SignInStep.Email:
                    if (_emailSent) throw Failed(AlexaErrorId.AuthenticationFailed, "Amazon asked for the email address again.");
                    EnsureExpectedOrigin();
                    Started = true;
                    _verbose($"Signing in {_session.Account}: email step.");
                    await Visible(_ids.EmailInput).First.FillAsync(_session.Account).WithCancellation(cancel);
                    _emailSent = true;
                    await SubmitAsync(Visible(_ids.EmailContinue), "the email step", cancel);
                    break;
                case SignInStep.Password:
                    if (_passwordSent)
                        throw Failed(AlexaErrorId.AuthenticationFailed, "Amazon did not accept the password.");
                    if (!_session.CanSignIn)
                        throw new AlexaException(AlexaErrorId.SessionExpired, ErrorCategory.AuthenticationError,
                            $"Amazon asks {_session.Account} to sign in again and no password is at hand.")
                        { RecommendedAction = "Run Connect-AlexaAccount with -Password or -Credential (and -SessionPath to save the new sign-in)." };
                    EnsureExpectedOrigin();
                    Started = true;
                    _verbose($"Signing in {_session.Account}: password step.");
                    // Some pages carry the email again; only a visible, editable, empty field is the person's to fill.
                    var email = Visible(_ids.EmailInput);
                    if (!plain && await Waits.IsPresentAsync(email) && await email.First.IsEditableAsync() && string.IsNullOrEmpty(await email.First.InputValueAsync()))
                    {
                        await email.First.FillAsync(_session.Account).WithCancellation(cancel);
                    }
                    await KeepWhenSavingAsync(_ids.RememberMe, cancel);
                    _passwordSent = true;
                    Typed = true;
                    await SessionTrace.WithoutTracingAsync(_session.Trace, _page, new[] { _ids.PasswordInput }, async () =>
                    {
                        await SecretText.Reveal(_session.Password, plain => FillSecretAsync(_ids.PasswordInput, plain, cancel)).WithCancellation(cancel);
                        await SubmitAsync(Visible(_ids.PasswordSubmit), "the password step", cancel);
                    });
                    break;
                case SignInStep.OneTimeCode:
                    if (_codeSent) throw Failed(AlexaErrorId.OtpInvalid, "Amazon did not accept the one-time code.");
                    if (SecretText.IsEmpty(_session.TotpSecret))
                        throw new AlexaException(AlexaErrorId.OtpRequired, ErrorCategory.AuthenticationError,
                            $"Amazon asks {_session.Account} for a one-time code (two-step verification) and no TOTP key was given.")
                        { RecommendedAction = "Pass the account's authenticator key with -TotpSecret (or a TotpSecret column), or sign in once with -Interactive and save the session with -SessionPath." };
                    EnsureExpectedOrigin();
                    Started = true;
                    _verbose($"Signing in {_session.Account}: one-time code step.");
                    await KeepWhenSavingAsync(_ids.OtpRememberDevice, cancel);
                    _codeSent = true;
                    Typed = true;
                    await SessionTrace.WithoutTracingAsync(_session.Trace, _page, new[] { _ids.OtpInput }, async () =>
                    {
                        string code = Totp.Compute(_session.TotpSecret, DateTimeOffset.UtcNow);
                        await FillSecretAsync(_ids.OtpInput, code, cancel);
                        await SubmitAsync(Visible(_ids.OtpSubmit), "the one-time code step", cancel);
                    });
                    break;
                case SignInStep.Passkey:
                    EnsureExpectedOrigin();
                    Started = true;
                    _verbose($"Signing in {_session.Account}: Amazon offers a passkey; choosing the password instead.");
                    await SubmitAsync(Control(Texts(t => t.PasswordRoute)), "the choice of the password", cancel);
                    break;
                case SignInStep.Interstitial:
                    EnsureExpectedOrigin();
                    if (++_declined > 6) throw Failed(AlexaErrorId.PageChanged, "Amazon kept asking for something after the sign-in, however often it was declined.");
                    _verbose($"Signing in {_session.Account}: declining a page Amazon shows after the sign-in ('{await HeadingAsync()}').");
                    await SubmitAsync(Control(Texts(t => t.Decline)), "declining the page after the sign-in", cancel);
                    break;
                case SignInStep.Captcha:
                    throw Failed(AlexaErrorId.CaptchaRequired, "Amazon shows a captcha at sign-in.",
                        "Sign in once with Connect-AlexaAccount -Interactive and save the session with -SessionPath; later runs reuse it.");
                case SignInStep.Approval:
                    Started = true;
                    await WaitForApprovalAsync(cancel);
                    break;
                case SignInStep.Locked:
                    throw Failed(AlexaErrorId.AccountLocked, "Amazon sent the sign-in to 'Password assistance': the account is locked after failed sign-ins.",
                        "Reset the password at Amazon, then update it in your credential store or CSV.");
                case SignInStep.Throttled:
                    throw new TransientFault(0, "the sign-in (the page reads Amazon's 'too many requests')");
                case SignInStep.Blank:
                    throw new TransientFault(0, "the sign-in (an empty page)");
                default:
                    throw await PageErrors.PageChangedAsync(_page, _session, "sign-in", "step, interstitial or privacy page this module knows; nothing was typed into it");
            }
        }

        /// <summary>Ticks "Keep me signed in" (or "Don't require code on this browser") when the sign-in is to be saved.</summary>
        private async Task KeepWhenSavingAsync(string selector, CancellationToken cancel)
        {
            var box = Visible(selector);
            if (!string.IsNullOrEmpty(_session.SessionPath) && await Waits.IsPresentAsync(box) && !await box.First.IsCheckedAsync())
            {
                await box.First.ClickAsync().WithCancellation(cancel);
            }
        }

        private async Task<string> HeadingAsync()
        {
            try
            {
                var heading = _page.GetByRole(AriaRole.Heading).Filter(new() { Visible = true });
                return await heading.CountAsync() > 0 ? (await heading.First.InnerTextAsync(new() { Timeout = 2_000 })).Trim() : "";
            }
            catch (Exception e) when (e is PlaywrightException || e is TimeoutException)
            {
                return "";
            }
        }

        private async Task WaitForApprovalAsync(CancellationToken cancel)
        {
            double seconds = _session.Profile.Timeouts.ApprovalSeconds;
            if (seconds <= 0)
            {
                throw Failed(AlexaErrorId.ApprovalRequired, "Amazon waits for the sign-in to be approved on the account's phone.",
                    "Approve the notification and sign in with Connect-AlexaAccount -Interactive, or raise timeouts.approvalSeconds in the site profile.");
            }
            _verbose($"Waiting up to {seconds} s for {_session.Account}'s sign-in to be approved.");
            bool moved = await Waits.WaitUntilAsync(async () => await DetectAsync() != SignInStep.Approval, TimeSpan.FromSeconds(seconds), cancel);
            if (!moved)
            {
                throw Failed(AlexaErrorId.ApprovalRequired, $"The sign-in was not approved within {seconds} s.");
            }
            try
            {
                await _page.WaitForLoadStateAsync(LoadState.DOMContentLoaded, new() { Timeout = Waits.NavigationTimeoutMs(_session) }).WithCancellation(cancel);
            }
            catch (TimeoutException)
            {
                throw new TransientFault(0, "the sign-in after the approval (no page arrived)");
            }
        }

        /// <summary>
        /// Clicks a control that sends the browser to the next page and waits for it. A transient answer
        /// (or none at all) is a TransientFault; a page that a GET can show again becomes the safe point.
        /// </summary>
        private async Task SubmitAsync(ILocator control, string what, CancellationToken cancel)
        {
            IResponse response;
            // The form posts and the server redirects: the next page, once its document is loaded, is what to wait for.
            using (var clicked = CancellationTokenSource.CreateLinkedTokenSource(cancel))
            {
                var next = PageNetwork.Of(_page).NextDocumentAsync(TimeSpan.FromSeconds(_session.Profile.Timeouts.NavigationSeconds), clicked.Token);
                try
                {
                    try
                    {
                        await control.First.ClickAsync().WithCancellation(cancel);
                    }
                    catch
                    {
                        clicked.Cancel(); // no click, no page to wait for
                        throw;
                    }
                    response = await next.WithCancellation(cancel);
                }
                catch (TimeoutException)
                {
                    throw new TransientFault(0, $"{what} (no answer within {_session.Profile.Timeouts.NavigationSeconds} s)");
                }
            }
            int status = response?.Status ?? 200;
            if (ThrottlePolicy.IsTransient(status))
            {
                // Past the last step the browser is already on a privacy page: that is where to go on.
                if (response != null && Navigation.IsPrivacyUrl(response.Url, _session)) SafePoint = response.Url;
                throw TransientFault.Answered(response, what);
            }
            if (response != null && response.Request.Method == "GET" && status < 300 && !Navigation.IsPrivacyUrl(response.Url, _session))
            {
                SafePoint = response.Url;
            }
        }

        private async Task ThrowOnErrorBoxAsync(SignInStep step)
        {
            // "Password assistance" is the lock, whatever its boxes say.
            if (step == SignInStep.Locked) return;
            // A box that is always there but hidden or empty says nothing.
            var box = Visible(_ids.ErrorBox);
            if (!await Waits.IsPresentAsync(box)) return;
            string text = "";
            try { text = (await box.First.InnerTextAsync(new() { Timeout = 5_000 })) ?? ""; } catch (PlaywrightException) { } catch (TimeoutException) { }
            if (string.IsNullOrWhiteSpace(text)) return;
            if (Text(t => t.InvalidCode).Any(w => text.Contains(w)))
                throw Failed(AlexaErrorId.OtpInvalid, "Amazon did not accept the one-time code.",
                    "Check the TOTP key (the 52-character key Amazon shows when you add an authenticator app) and the machine's clock.");
            if (Text(t => t.WrongPassword).Any(w => text.Contains(w)))
                throw Failed(AlexaErrorId.AuthenticationFailed, "Amazon says the password is incorrect.",
                    "Check the password. The module tries it once per run, but every run tries it again, and Amazon locks the account ('Password assistance') after repeated failures: correct the password before running the command again.");
            if (Text(t => t.UnknownEmail).Any(w => text.Contains(w)))
                throw Failed(AlexaErrorId.AuthenticationFailed, $"{_session.BaseUri.GetLeftPart(UriPartial.Authority)} ({_session.Marketplace}) cannot find an account with this email address; an account belongs to one marketplace.",
                    $"Check the email address, and give the account's own marketplace with -Marketplace (or a Marketplace column); it was {_session.Marketplace}.");
            if (_passwordSent || _codeSent || step == SignInStep.Email || step == SignInStep.Password)
                throw Failed(AlexaErrorId.AuthenticationFailed, "Amazon reported a problem with the sign-in.");
        }

        /// <summary>How long one try to type a secret waits for its field before the page's origin is checked again.</summary>
        private const float SecretFillTryMs = 1_000;

        /// <summary>
        /// Types a secret into the field only when the document that holds that very field is on the
        /// session's origin: the field is found through <see cref="OriginSelector"/>, so the origin is
        /// checked in the same look, in the field's own document, and Playwright types into the element
        /// that look found. A page that went elsewhere after the step began (a click, a script) shows no
        /// such field and gets nothing; a field whose document is replaced meanwhile is detached, so
        /// nothing is typed there either. Each try is short, so that a page that left the origin is
        /// reported as such instead of waiting out the whole action timeout.
        /// </summary>
        private async Task FillSecretAsync(string selector, string secret, CancellationToken cancel)
        {
            EnsureExpectedOrigin();
            var field = _page.Locator(OriginSelector.For(_session.BaseUri)).Locator(selector).Filter(new() { Visible = true }).First;
            var until = DateTime.UtcNow + TimeSpan.FromSeconds(_session.Profile.Timeouts.ActionSeconds);
            while (true)
            {
                try
                {
                    await field.FillAsync(secret, new() { Timeout = SecretFillTryMs }).WithCancellation(cancel);
                    return;
                }
                catch (TimeoutException) when (DateTime.UtcNow < until && OnExpectedOrigin)
                {
                    // Still on the origin: the field may yet render.
                }
                catch (Exception e) when ((e is PlaywrightException || e is TimeoutException) && !OnExpectedOrigin)
                {
                    throw OffOrigin(_page.Url);
                }
            }
        }

        /// <summary>Whether the page is on the session's origin now.</summary>
        private bool OnExpectedOrigin => Navigation.IsExpectedOrigin(_page.Url, _session.BaseUri);

        private void EnsureExpectedOrigin()
        {
            if (OnExpectedOrigin) return;
            throw OffOrigin(_page.Url);
        }

        private AlexaException OffOrigin(string url)
        {
            string where = Uri.TryCreate(url, UriKind.Absolute, out var current) ? current.GetLeftPart(UriPartial.Authority) : "another page";
            return new AlexaException(AlexaErrorId.UnsafeOrigin, ErrorCategory.SecurityError,
                $"The sign-in for {_session.Account} was sent to {where} instead of {_session.BaseUri.GetLeftPart(UriPartial.Authority)}; nothing was typed there.")
            { RecommendedAction = "Check -BaseUri and -Marketplace. The module types credentials only on the marketplace's own origin." };
        }

        private AlexaException Failed(string errorId, string message, string action = null)
        {
            var category = errorId == AlexaErrorId.RateLimited ? ErrorCategory.LimitsExceeded
                : errorId == AlexaErrorId.PageChanged ? ErrorCategory.InvalidResult
                : ErrorCategory.AuthenticationError;
            return new AlexaException(errorId, category, $"Sign-in failed for {_session.Account}: {message}") { RecommendedAction = action };
        }
    }
}
