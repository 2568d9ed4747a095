// Amazon's classic sign-in, step by step as a person does it: email, password, one-time code.
// Each step is recognised by its elements, not its URL; no secret is typed off the expected origin,
// and no password or code is ever submitted twice.
using System;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using AlexaPrivacy.Diagnostics;
using AlexaPrivacy.Security;
using AlexaPrivacy.Site;
using Microsoft.Playwright;

namespace AlexaPrivacy.Pages
{
    internal enum SignInStep
    {
        None,
        Email,
        Password,
        OneTimeCode,
        Captcha,
        Approval,
        Locked,
        Throttled,
    }

    internal sealed class SignInFlow
    {
        private readonly AlexaSession _session;
        private readonly IPage _page;
        private readonly SignInSelectors _ids;
        private readonly SignInTexts _texts;
        private readonly Action<string> _verbose;
        private int _lastStatus;

        public SignInFlow(AlexaSession session, IPage page, Action<string> verbose)
        {
            _session = session;
            _page = page;
            _ids = session.Profile.SignIn;
            _texts = PageTools.Labels(session).SignIn ?? session.Profile.LabelsFor(session.Profile.FallbackLanguage).SignIn;
            _verbose = verbose ?? (_ => { });
        }

        /// <summary>Which sign-in step the page shows, or None when it is not a sign-in page.</summary>
        public async Task<SignInStep> DetectAsync()
        {
            if (await PageTools.IsPresentAsync(_page.Locator(_ids.OtpInput))) return SignInStep.OneTimeCode;
            if (await PageTools.IsPresentAsync(_page.Locator(_ids.CaptchaGuess))) return SignInStep.Captcha;
            if (await PageTools.IsPresentAsync(_page.Locator(_ids.PasswordInput))) return SignInStep.Password;
            if (await PageTools.IsPresentAsync(_page.Locator(_ids.EmailInput))) return SignInStep.Email;
            string text = await BodyTextAsync();
            if (!string.IsNullOrEmpty(_texts.Approval) && text.Contains(_texts.Approval)) return SignInStep.Approval;
            if (!string.IsNullOrEmpty(_texts.Locked) && await PageTools.IsPresentAsync(_page.GetByRole(AriaRole.Heading, new() { NameRegex = PageTools.WholeLabel(_texts.Locked) })))
                return SignInStep.Locked;
            if (_texts.Throttled != null && _texts.Throttled.Any(t => text.Contains(t))) return SignInStep.Throttled;
            return SignInStep.None;
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

        /// <summary>Goes through the sign-in steps on the current page until Amazon sends the browser back to a privacy page.</summary>
        public async Task SignInAsync(CancellationToken cancel)
        {
            bool emailSent = false, passwordSent = false, codeSent = false;
            for (int round = 0; round < 12; round++)
            {
                cancel.ThrowIfCancellationRequested();
                var step = await DetectAsync().WithCancellation(cancel);
                await ThrowOnErrorBoxAsync(step, passwordSent, codeSent);
                switch (step)
                {
                    case SignInStep.None:
                        return;
                    case SignInStep.Email:
                        if (emailSent) throw Failed(AlexaErrorId.AuthenticationFailed, "Amazon asked for the email address again.");
                        EnsureExpectedOrigin();
                        _verbose($"Signing in {_session.Account}: email step.");
                        await _page.Locator(_ids.EmailInput).FillAsync(_session.Account).WithCancellation(cancel);
                        await SubmitAsync(_page.Locator(_ids.EmailContinue), cancel);
                        emailSent = true;
                        break;
                    case SignInStep.Password:
                        if (passwordSent)
                            throw Failed(AlexaErrorId.AuthenticationFailed, "Amazon did not accept the password.");
                        if (!_session.CanSignIn)
                            throw new AlexaException(AlexaErrorId.SessionExpired, ErrorCategory.AuthenticationError,
                                $"Amazon asks {_session.Account} to sign in again and no password is at hand.")
                            { RecommendedAction = "Run Connect-AlexaAccount with -Password or -Credential (and -SessionPath to save the new sign-in)." };
                        EnsureExpectedOrigin();
                        _verbose($"Signing in {_session.Account}: password step.");
                        if (await PageTools.IsPresentAsync(_page.Locator(_ids.EmailInput)) && await _page.Locator(_ids.EmailInput).First.IsEditableAsync())
                        {
                            await _page.Locator(_ids.EmailInput).First.FillAsync(_session.Account).WithCancellation(cancel);
                        }
                        var remember = _page.Locator(_ids.RememberMe);
                        if (!string.IsNullOrEmpty(_session.SessionPath) && await PageTools.IsPresentAsync(remember))
                        {
                            await remember.First.CheckAsync().WithCancellation(cancel);
                        }
                        passwordSent = true;
                        await SessionTrace.WithoutTracingAsync(_session.Trace, async () =>
                        {
                            await SecretText.Reveal(_session.Password, plain => _page.Locator(_ids.PasswordInput).FillAsync(plain)).WithCancellation(cancel);
                            await SubmitAsync(_page.Locator(_ids.PasswordSubmit), cancel);
                        });
                        break;
                    case SignInStep.OneTimeCode:
                        if (codeSent) throw Failed(AlexaErrorId.OtpInvalid, "Amazon did not accept the one-time code.");
                        if (SecretText.IsEmpty(_session.TotpSecret))
                            throw new AlexaException(AlexaErrorId.OtpRequired, ErrorCategory.AuthenticationError,
                                $"Amazon asks {_session.Account} for a one-time code (two-step verification) and no TOTP key was given.")
                            { RecommendedAction = "Pass the account's authenticator key with -TotpSecret (or a TotpSecret column), or sign in once with -Interactive and save the session with -SessionPath." };
                        EnsureExpectedOrigin();
                        _verbose($"Signing in {_session.Account}: one-time code step.");
                        var rememberDevice = _page.Locator(_ids.OtpRememberDevice);
                        if (!string.IsNullOrEmpty(_session.SessionPath) && await PageTools.IsPresentAsync(rememberDevice))
                        {
                            await rememberDevice.First.CheckAsync().WithCancellation(cancel);
                        }
                        codeSent = true;
                        await SessionTrace.WithoutTracingAsync(_session.Trace, async () =>
                        {
                            byte[] key = SecretText.Reveal(_session.TotpSecret, Totp.DecodeBase32);
                            try
                            {
                                string code = Totp.Compute(key, DateTimeOffset.UtcNow);
                                await _page.Locator(_ids.OtpInput).FillAsync(code).WithCancellation(cancel);
                            }
                            finally
                            {
                                Array.Clear(key, 0, key.Length);
                            }
                            await SubmitAsync(_page.Locator(_ids.OtpSubmit), cancel);
                        });
                        break;
                    case SignInStep.Captcha:
                        throw Failed(AlexaErrorId.CaptchaRequired, "Amazon shows a captcha at sign-in.",
                            "Sign in once with Connect-AlexaAccount -Interactive and save the session with -SessionPath; later runs reuse it.");
                    case SignInStep.Approval:
                        await WaitForApprovalAsync(cancel);
                        break;
                    case SignInStep.Locked:
                        throw Failed(AlexaErrorId.AccountLocked, "Amazon sent the sign-in to 'Password assistance': the account is locked after failed sign-ins.",
                            "Reset the password at Amazon, then update it in your credential store or CSV.");
                    case SignInStep.Throttled:
                        // The words alone may be a privacy page's own data error after a successful sign-in.
                        if (_lastStatus != 429 && _lastStatus != 503) return;
                        throw Failed(AlexaErrorId.RateLimited, "Amazon answered the sign-in with 'too many requests'.",
                            "Wait a few minutes, or lower -ThrottleLimit.");
                }
            }
            throw Failed(AlexaErrorId.PageChanged, "The sign-in did not finish after every known step.");
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
            bool moved = await PageTools.WaitUntilAsync(async () => await DetectAsync() != SignInStep.Approval, TimeSpan.FromSeconds(seconds), cancel);
            if (!moved)
            {
                throw Failed(AlexaErrorId.ApprovalRequired, $"The sign-in was not approved within {seconds} s.");
            }
            await _page.WaitForLoadStateAsync(LoadState.DOMContentLoaded).WithCancellation(cancel);
        }

        private async Task SubmitAsync(ILocator button, CancellationToken cancel)
        {
            try
            {
#pragma warning disable CS0612, CS0618 // the form posts and the server redirects: a navigation is what to wait for
                var response = await _page.RunAndWaitForNavigationAsync(() => button.First.ClickAsync(),
                    new PageRunAndWaitForNavigationOptions { WaitUntil = WaitUntilState.DOMContentLoaded, Timeout = PageTools.NavigationTimeoutMs(_session) })
                    .WithCancellation(cancel);
#pragma warning restore CS0612, CS0618
                _lastStatus = response?.Status ?? 0;
            }
            catch (TimeoutException e)
            {
                throw new AlexaException(AlexaErrorId.Timeout, ErrorCategory.OperationTimeout,
                    $"The sign-in page for {_session.Account} did not answer within {_session.Profile.Timeouts.NavigationSeconds} s.", e);
            }
        }

        private async Task ThrowOnErrorBoxAsync(SignInStep step, bool passwordSent, bool codeSent)
        {
            var box = _page.Locator(_ids.ErrorBox);
            if (!await PageTools.IsVisibleAsync(box)) return;
            string text = "";
            try { text = (await box.First.InnerTextAsync(new() { Timeout = 5_000 })) ?? ""; } catch (PlaywrightException) { }
            if (!string.IsNullOrEmpty(_texts.InvalidCode) && text.Contains(_texts.InvalidCode))
                throw Failed(AlexaErrorId.OtpInvalid, "Amazon did not accept the one-time code.",
                    "Check the TOTP key (the 52-character key Amazon shows when you add an authenticator app) and the machine's clock.");
            if (!string.IsNullOrEmpty(_texts.WrongPassword) && text.Contains(_texts.WrongPassword))
                throw Failed(AlexaErrorId.AuthenticationFailed, "Amazon says the password is incorrect.",
                    "Check the password; the module does not retry it, so the account is not locked by repeated attempts.");
            if (!string.IsNullOrEmpty(_texts.UnknownEmail) && text.Contains(_texts.UnknownEmail))
                throw Failed(AlexaErrorId.AuthenticationFailed, $"{_session.BaseUri.GetLeftPart(UriPartial.Authority)} ({_session.Marketplace}) cannot find an account with this email address; an account belongs to one marketplace.",
                    $"Check the email address, and give the account's own marketplace with -Marketplace (or a Marketplace column); it was {_session.Marketplace}.");
            if (passwordSent || codeSent || step == SignInStep.Email || step == SignInStep.Password)
                throw Failed(AlexaErrorId.AuthenticationFailed, "Amazon reported a problem with the sign-in.");
        }

        private void EnsureExpectedOrigin()
        {
            var current = new Uri(_page.Url);
            var expected = _session.BaseUri;
            bool same = string.Equals(current.Scheme, expected.Scheme, StringComparison.OrdinalIgnoreCase)
                && string.Equals(current.Host, expected.Host, StringComparison.OrdinalIgnoreCase)
                && current.Port == expected.Port;
            if (!same)
            {
                throw new AlexaException(AlexaErrorId.UnsafeOrigin, ErrorCategory.SecurityError,
                    $"The sign-in for {_session.Account} was sent to {current.GetLeftPart(UriPartial.Authority)} instead of {expected.GetLeftPart(UriPartial.Authority)}; nothing was typed.")
                { RecommendedAction = "Check -BaseUri and -Marketplace. The module types credentials only on the marketplace's own origin." };
            }
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
