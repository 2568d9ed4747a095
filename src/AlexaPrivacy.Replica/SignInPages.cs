using static AlexaPrivacy.Replica.Html;

namespace AlexaPrivacy.Replica;

/// <summary>
/// Amazon's classic sign-in (section 2 of the site contract): server-rendered pages with real
/// forms. The flow state lives on the server; the pages carry only an opaque token.
/// </summary>
public static class SignInPages
{
    public static void Map(WebApplication app, ReplicaState state)
    {
        app.MapGet("/ap/signin", (HttpContext ctx) =>
        {
            var t = state.TextsOf(ctx);
            var returnTo = state.SafeReturnTo(ctx, ctx.Request.Query["openid.return_to"]);
            var flow = state.Store.NewFlow(returnTo);
            return Page(EmailPage(state, t, flow, null, null));
        });

        app.MapPost("/ap/signin", async (HttpContext ctx) =>
        {
            var form = await ctx.Request.ReadFormAsync();
            var t = state.TextsOf(ctx);
            var flow = state.Store.FindFlow(form["workflowState"]);
            if (flow == null)
            {
                flow = state.Store.NewFlow(state.SafeReturnTo(ctx, form["openid.return_to"]));
                if (!form.ContainsKey("email")) return Page(EmailPage(state, t, flow, null, t["signin.sessionExpired"]));
            }

            if (form.ContainsKey("password") && flow.Email != null) return PasswordStep(ctx, state, t, flow, form);
            if (form.ContainsKey("guess") && flow.Step == "captcha") return CaptchaStep(ctx, state, t, flow, form);
            return EmailStep(state, t, flow, form);
        });

        app.MapGet("/ap/mfa", (HttpContext ctx) =>
        {
            var t = state.TextsOf(ctx);
            var flow = state.Store.FindFlow(ctx.Request.Query["arb"]);
            if (flow == null || flow.Step != "mfa") return Results.Redirect(state.SignInUrl(ctx, state.BaseUrl(ctx) + "/alexa-privacy/apd/home"));
            return Page(MfaPage(t, flow, null));
        });

        app.MapPost("/ap/mfa", async (HttpContext ctx) =>
        {
            var form = await ctx.Request.ReadFormAsync();
            var t = state.TextsOf(ctx);
            var flow = state.Store.FindFlow(form["workflowState"]);
            if (flow == null || flow.Step != "mfa") return Results.Redirect(state.SignInUrl(ctx, state.BaseUrl(ctx) + "/alexa-privacy/apd/home"));
            var account = state.Store.Find(flow.Email);
            if (account == null) return Page(EmailPage(state, t, flow, null, t["signin.noAccount"]));
            if (string.IsNullOrEmpty(account.TotpSecret) || Totp.Verify(account.TotpSecret, form["otpCode"], DateTimeOffset.UtcNow))
                return Complete(ctx, state, flow, account);
            return Page(MfaPage(t, flow, t["mfa.invalid"]));
        });

        app.MapGet("/ap/cvf/approval", (HttpContext ctx) =>
        {
            var t = state.TextsOf(ctx);
            var flow = state.Store.FindFlow(ctx.Request.Query["arb"]);
            if (flow == null || flow.Step != "approval") return Results.Redirect(state.SignInUrl(ctx, state.BaseUrl(ctx) + "/alexa-privacy/apd/home"));
            return Page(ApprovalPage(t, flow));
        });

        app.MapGet("/ap/cvf/approval/poll", (HttpContext ctx) =>
        {
            var flow = state.Store.FindFlow(ctx.Request.Query["arb"]);
            if (flow == null || flow.Step != "approval") return Results.Json(new { status = "EXPIRED" }, statusCode: 410);
            return flow.Approved
                ? Results.Json(new { status = "APPROVED", redirect = "/ap/cvf/approval/complete?arb=" + Uri.EscapeDataString(flow.Token) })
                : Results.Json(new { status = "PENDING" });
        });

        app.MapGet("/ap/cvf/approval/complete", (HttpContext ctx) =>
        {
            var flow = state.Store.FindFlow(ctx.Request.Query["arb"]);
            var account = flow == null ? null : state.Store.Find(flow.Email);
            if (flow == null || account == null || flow.Step != "approval" || !flow.Approved)
                return Results.Redirect(state.SignInUrl(ctx, state.BaseUrl(ctx) + "/alexa-privacy/apd/home"));
            return Complete(ctx, state, flow, account);
        });

        app.MapMethods("/ap/forgotpassword", new[] { "GET", "POST" }, (HttpContext ctx) =>
        {
            var t = state.TextsOf(ctx);
            bool locked = ctx.Request.Query["reason"] == "locked";
            return Page(ForgotPasswordPage(t, locked));
        });

        app.MapGet("/gp/flex/sign-out.html", (HttpContext ctx) =>
        {
            state.Store.EndSession(ctx.Request.Cookies[state.SessionCookie]);
            foreach (var name in CookieNames(state))
                ctx.Response.Cookies.Delete(name, new CookieOptions { Path = "/" });
            return Results.Redirect(state.SignInUrl(ctx, state.BaseUrl(ctx) + "/alexa-privacy/apd/home"));
        });
    }

    private static IEnumerable<string> CookieNames(ReplicaState s) => new[]
        { "session-id", "session-id-time", "session-token", "ubid-" + s.Suffix, "at-" + s.Suffix, "sess-at-" + s.Suffix, "x-" + s.Suffix };

    // ---- steps -------------------------------------------------------------------------------

    private static IResult EmailStep(ReplicaState state, Texts t, SignInFlow flow, IFormCollection form)
    {
        string email = form["email"].ToString().Trim();
        if (email.Length == 0) return Page(EmailPage(state, t, flow, "", t["signin.enterEmail"]));
        var account = state.Store.Find(email);
        if (account == null || account.Marketplace != state.Marketplace)
            return Page(EmailPage(state, t, flow, email, t["signin.noAccount"]));
        flow.Email = account.Email;
        flow.CaptchaPassed = false;
        flow.Approved = false;
        if (account.Locked) return LockedRedirect();
        flow.Step = "password";
        return Page(PasswordPage(t, flow, null));
    }

    private static IResult PasswordStep(HttpContext ctx, ReplicaState state, Texts t, SignInFlow flow, IFormCollection form)
    {
        var account = state.Store.Find(flow.Email);
        if (account == null || account.Marketplace != state.Marketplace)
            return Page(EmailPage(state, t, flow, flow.Email, t["signin.noAccount"]));
        if (account.Locked) return LockedRedirect();
        string password = form["password"];
        if (string.IsNullOrEmpty(password)) return Page(PasswordPage(t, flow, t["signin.enterPassword"]));
        lock (state.Store.Sync)
        {
            if (!string.Equals(password, account.Password, StringComparison.Ordinal))
            {
                account.FailedPasswordCount++;
                if (account.FailedPasswordCount >= 5) account.LockedOut = true;
            }
            else account.FailedPasswordCount = 0;
        }
        if (account.Locked) return LockedRedirect();
        if (account.FailedPasswordCount > 0) return Page(PasswordPage(t, flow, t["signin.wrongPassword"]));

        flow.RememberMe = IsChecked(form["rememberMe"]);
        return Next(ctx, state, t, flow, account);
    }

    private static IResult CaptchaStep(HttpContext ctx, ReplicaState state, Texts t, SignInFlow flow, IFormCollection form)
    {
        var account = state.Store.Find(flow.Email);
        if (account == null) return Page(EmailPage(state, t, flow, flow.Email, t["signin.noAccount"]));
        string guess = form["guess"].ToString().Trim();
        if (account.CaptchaText != null && string.Equals(guess, account.CaptchaText, StringComparison.OrdinalIgnoreCase))
        {
            flow.CaptchaPassed = true;
            return Next(ctx, state, t, flow, account);
        }
        account.CaptchaText = NewCaptchaText();
        return Page(CaptchaPage(t, flow, account.CaptchaText, t["captcha.wrong"]));
    }

    /// <summary>After a correct password: captcha, then push approval or one-time code, then done.</summary>
    private static IResult Next(HttpContext ctx, ReplicaState state, Texts t, SignInFlow flow, Account account)
    {
        if (account.Challenge == "captcha" && !flow.CaptchaPassed)
        {
            flow.Step = "captcha";
            account.CaptchaText = NewCaptchaText();
            return Page(CaptchaPage(t, flow, account.CaptchaText, null));
        }
        if (account.Challenge == "approval")
        {
            flow.Step = "approval";
            flow.Approved = false;
            return Results.Redirect("/ap/cvf/approval?arb=" + Uri.EscapeDataString(flow.Token));
        }
        if (!string.IsNullOrEmpty(account.TotpSecret))
        {
            flow.Step = "mfa";
            return Results.Redirect("/ap/mfa?arb=" + Uri.EscapeDataString(flow.Token));
        }
        return Complete(ctx, state, flow, account);
    }

    private static IResult LockedRedirect() => Results.Redirect("/ap/forgotpassword?reason=locked");

    /// <summary>Signs in: server-side session, Amazon's cookies, 302 back to return_to.</summary>
    private static IResult Complete(HttpContext ctx, ReplicaState state, SignInFlow flow, Account account)
    {
        var session = state.Store.CreateSession(account.Email);
        lock (state.Store.Sync)
        {
            account.SignInCount++;
            account.FailedPasswordCount = 0;
            state.Store.SignIns++;
        }
        flow.Step = "done";
        state.Store.EndFlow(flow);

        DateTimeOffset? expires = flow.RememberMe ? DateTimeOffset.UtcNow.AddYears(1) : null;
        void Set(string name, string value, bool httpOnly) =>
            ctx.Response.Cookies.Append(name, value, new CookieOptions { Path = "/", HttpOnly = httpOnly, Expires = expires, SameSite = SameSiteMode.Lax });
        string sfx = state.Suffix;
        Set("session-id", AmazonId(), false);
        Set("session-id-time", (DateTimeOffset.UtcNow.AddYears(1).ToUnixTimeSeconds()) + "l", false);
        Set("session-token", AccountStore.RandomToken(172), false);
        Set("ubid-" + sfx, AmazonId(), false);
        Set("at-" + sfx, session.Token, true);
        Set("sess-at-" + sfx, AccountStore.RandomToken(44), true);
        Set("x-" + sfx, AccountStore.RandomToken(60), false);
        return Results.Redirect(state.SafeReturnTo(ctx, flow.ReturnTo));
    }

    private static string AmazonId() =>
        $"{AccountStore.RandomDigits(3)}-{AccountStore.RandomDigits(7)}-{AccountStore.RandomDigits(7)}";

    private static bool IsChecked(string value) =>
        !string.IsNullOrEmpty(value) && value != "false" && value != "0";

    private static string NewCaptchaText() =>
        System.Security.Cryptography.RandomNumberGenerator.GetString("ABCDEFGHJKLMNPRSTUVWXYZ23456789", 6);

    // ---- pages -------------------------------------------------------------------------------

    private static string Hidden(SignInFlow flow) => $"""
        <input type="hidden" name="appActionToken" value="{E(AccountStore.RandomToken(24))}">
        <input type="hidden" name="workflowState" value="{E(flow.Token)}">
        <input type="hidden" name="openid.return_to" value="{E(flow.ReturnTo)}">
        """;

    private static string EmailPage(ReplicaState state, Texts t, SignInFlow flow, string email, string error) =>
        AuthFrame(t, t["signin.title"], $$"""
            {{ErrorBox(t, error)}}
            <div class="a-section a-spacing-base auth-pagelet-container">
              <div class="a-box"><div class="a-box-inner a-padding-extra-large">
                <h1 class="a-spacing-small">{{E(t["signin.heading"])}}</h1>
                <form name="signIn" method="post" novalidate action="/ap/signin" class="auth-validate-form auth-real-time-validation a-spacing-none">
                  {{Hidden(flow)}}
                  <div class="a-section">
                    <div class="a-row a-spacing-base">
                      <label for="ap_email" class="a-form-label">{{E(t["signin.emailLabel"])}}</label>
                      <input type="email" maxlength="128" id="ap_email" autocomplete="username" name="email" value="{{E(email)}}" class="a-input-text a-span12 auth-autofocus auth-required-field" autofocus>
                    </div>
                    <input type="hidden" name="create" value="0">
                    <div class="a-section a-spacing-medium">
                      <span id="continue-span" class="a-button-span12">
                        <input id="continue" class="a-button-primary a-button-input" type="submit" value="{{E(t["signin.continue"])}}" aria-labelledby="continue-announce">
                        <span id="continue-announce" class="visually-hidden">{{E(t["signin.continue"])}}</span>
                      </span>
                    </div>
                    <div id="legalTextRow" class="a-row a-spacing-top-medium a-size-small">{{E(t["signin.agree"])}}</div>
                    <div class="a-section a-spacing-top-base"><a class="a-link-expander" href="/ap/forgotpassword">{{E(t["signin.needHelp"])}}</a></div>
                  </div>
                </form>
              </div></div>
            </div>
            <div class="a-divider a-divider-break"><h5 class="a-size-mini a-color-secondary a-text-center">{{E(t["signin.newToAmazon"])}}</h5></div>
            <span class="a-button"><a id="createAccountSubmit" class="a-button-text" href="/ap/register">{{E(t["signin.createAccount"])}}</a></span>
            """);

    private static string PasswordPage(Texts t, SignInFlow flow, string error) =>
        AuthFrame(t, t["signin.title"], $$"""
            {{ErrorBox(t, error)}}
            <div class="a-section auth-pagelet-container">
              <div class="a-box"><div class="a-box-inner a-padding-extra-large">
                <h1 class="a-spacing-small">{{E(t["signin.heading"])}}</h1>
                <div class="a-row a-spacing-base auth-email-row">
                  <span>{{E(flow.Email)}}</span>
                  <a id="ap_change_login_claim" class="a-link-normal" href="/ap/signin?openid.return_to={{E(Uri.EscapeDataString(flow.ReturnTo))}}">{{E(t["signin.change"])}}</a>
                </div>
                <form name="signIn" method="post" novalidate action="/ap/signin" class="auth-validate-form auth-real-time-validation a-spacing-none">
                  {{Hidden(flow)}}
                  <input type="hidden" name="email" value="{{E(flow.Email)}}">
                  <div class="a-section">
                    <div class="a-row"><div class="a-column a-span5">
                      <label for="ap_password" class="a-form-label">{{E(t["signin.passwordLabel"])}}</label></div>
                      <div class="a-column a-span7 a-text-right a-span-last"><a id="auth-fpp-link-bottom" class="a-link-normal" href="/ap/forgotpassword">{{E(t["signin.forgot"])}}</a></div>
                    </div>
                    <input type="password" maxlength="1024" id="ap_password" autocomplete="current-password" name="password" class="a-input-text a-span12 auth-autofocus auth-required-field" autofocus>
                    <div class="a-section a-spacing-extra-large a-spacing-top-base">
                      <span id="auth-signin-button" class="a-button-span12">
                        <input id="signInSubmit" class="a-button-primary a-button-input" type="submit" value="{{E(t["signin.submit"])}}" aria-labelledby="auth-signin-button-announce">
                        <span id="auth-signin-button-announce" class="visually-hidden">{{E(t["signin.submit"])}}</span>
                      </span>
                    </div>
                    <div class="a-row a-spacing-top-base">
                      <div class="a-checkbox" data-a-input-name="rememberMe">
                        <input type="checkbox" id="rememberMe" name="rememberMe" value="true">
                        <label for="rememberMe"><span class="a-label a-checkbox-label">{{E(t["signin.rememberMe"])}}</span></label>
                      </div>
                    </div>
                  </div>
                </form>
              </div></div>
            </div>
            """);

    private static string CaptchaPage(Texts t, SignInFlow flow, string captchaText, string error) =>
        AuthFrame(t, t["signin.title"], $$"""
            {{ErrorBox(t, error)}}
            <div class="a-section auth-pagelet-container">
              <div class="a-box"><div class="a-box-inner a-padding-extra-large">
                <h1 class="a-spacing-small">{{E(t["captcha.heading"])}}</h1>
                <form name="signIn" method="post" novalidate action="/ap/signin" class="auth-validate-form a-spacing-none">
                  {{Hidden(flow)}}
                  <p id="auth-captcha-instructions">{{E(t["captcha.text"])}}</p>
                  <img id="auth-captcha-image" alt="{{E(t["captcha.imageAlt"])}}" width="200" height="70" src="{{CaptchaImage(captchaText)}}">
                  <label for="auth-captcha-guess" class="a-form-label">{{E(t["captcha.label"])}}</label>
                  <input type="text" id="auth-captcha-guess" name="guess" autocomplete="off" class="a-input-text a-span12 auth-required-field" autofocus>
                  <div class="a-section a-spacing-top-base">
                    <input id="signInSubmit" class="a-button-primary a-button-input" type="submit" value="{{E(t["signin.continue"])}}">
                  </div>
                </form>
              </div></div>
            </div>
            """);

    private static string MfaPage(Texts t, SignInFlow flow, string error) =>
        AuthFrame(t, t["mfa.title"], $$"""
            {{ErrorBox(t, error)}}
            <div class="a-section auth-pagelet-container">
              <div class="a-box"><div class="a-box-inner a-padding-extra-large">
                <h1 class="a-spacing-small">{{E(t["mfa.title"])}}</h1>
                <form id="auth-mfa-form" name="signIn" method="post" novalidate action="/ap/mfa" class="a-spacing-none">
                  {{Hidden(flow)}}
                  <input type="hidden" name="otpDeviceContext" value="aAbBcCdDeEfFgG">
                  <p>{{E(t["mfa.text"])}}</p>
                  <label for="auth-mfa-otpcode" class="a-form-label">{{E(t["mfa.codeLabel"])}}</label>
                  <input type="tel" id="auth-mfa-otpcode" name="otpCode" maxlength="20" autocomplete="one-time-code" class="a-input-text a-span12 auth-autofocus" autofocus>
                  <div class="a-row a-spacing-small a-spacing-top-small">
                    <div class="a-checkbox">
                      <input type="checkbox" id="auth-mfa-remember-device" name="rememberDevice" value="true">
                      <label for="auth-mfa-remember-device"><span class="a-label a-checkbox-label">{{E(t["mfa.remember"])}}</span></label>
                    </div>
                  </div>
                  <span class="a-button-span12">
                    <input id="auth-signin-button" class="a-button-primary a-button-input" type="submit" value="{{E(t["mfa.submit"])}}">
                  </span>
                  <div class="a-row a-spacing-top-base"><a id="auth-get-new-otp-link" class="a-link-normal" href="#">{{E(t["mfa.lostDevice"])}}</a></div>
                </form>
              </div></div>
            </div>
            """);

    private static string ApprovalPage(Texts t, SignInFlow flow) =>
        AuthFrame(t, t["approval.title"], $$"""
            <div class="a-section auth-pagelet-container">
              <div class="a-box"><div class="a-box-inner a-padding-extra-large">
                <h1 class="a-spacing-small">{{E(t["approval.title"])}}</h1>
                <div id="channelDetails" class="a-section">
                  <span class="transaction-approval-word-break">{{E(t["approval.text"])}}</span>
                  <div class="a-row"><span id="approval-target" class="a-text-bold">{{E(AccountStore.MaskEmail(flow.Email))}}</span></div>
                </div>
                <p id="approval-status" class="a-color-secondary" aria-live="polite">{{E(t["approval.waiting"])}}</p>
                <a id="resend-approval-link" class="a-link-normal" href="/ap/cvf/approval?arb={{E(Uri.EscapeDataString(flow.Token))}}">{{E(t["approval.resend"])}}</a>
              </div></div>
            </div>
            <script>
            (function () {
              var url = "/ap/cvf/approval/poll?arb=" + encodeURIComponent({{Json(flow.Token)}});
              function poll() {
                fetch(url, { credentials: "same-origin", cache: "no-store" })
                  .then(function (r) { return r.json(); })
                  .then(function (d) {
                    if (d.status === "APPROVED") { window.location.assign(d.redirect); return; }
                    if (d.status === "EXPIRED") { window.location.assign("/ap/signin"); return; }
                    setTimeout(poll, 1000);
                  })
                  .catch(function () { setTimeout(poll, 1000); });
              }
              setTimeout(poll, 1000);
            })();
            </script>
            """);

    private static string ForgotPasswordPage(Texts t, bool locked) =>
        AuthFrame(t, t["forgot.title"], $$"""
            {{WarningBox(t, locked ? t["forgot.locked"] : null)}}
            <div class="a-section auth-pagelet-container">
              <div class="a-box"><div class="a-box-inner a-padding-extra-large">
                <h1>{{E(t["forgot.heading"])}}</h1>
                <p>{{E(t["forgot.text"])}}</p>
                <form name="forgotPassword" method="post" action="/ap/forgotpassword" novalidate>
                  <label for="ap_email" class="a-form-label">{{E(t["signin.emailLabel"])}}</label>
                  <input type="email" id="ap_email_fpp" name="email" class="a-input-text a-span12">
                  <div class="a-section a-spacing-top-base">
                    <input id="continue-fpp" class="a-button-primary a-button-input" type="submit" value="{{E(t["signin.continue"])}}">
                  </div>
                </form>
              </div></div>
            </div>
            """);

    /// <summary>A distorted SVG rendering of the captcha characters, as a data URI.</summary>
    private static string CaptchaImage(string text)
    {
        var rnd = new Random(text.GetHashCode());
        var sb = new System.Text.StringBuilder();
        sb.Append("<svg xmlns='http://www.w3.org/2000/svg' width='200' height='70'><rect width='200' height='70' fill='#f4f1e8'/>");
        for (int i = 0; i < 6; i++)
            sb.Append($"<line x1='{rnd.Next(200)}' y1='{rnd.Next(70)}' x2='{rnd.Next(200)}' y2='{rnd.Next(70)}' stroke='#8a7f6a' stroke-width='1.5'/>");
        for (int i = 0; i < text.Length; i++)
        {
            int x = 18 + i * 29, y = 46 + rnd.Next(-6, 7), rot = rnd.Next(-25, 26);
            sb.Append($"<text x='{x}' y='{y}' font-family='Georgia,serif' font-size='34' font-style='italic' fill='#3b2f1e' transform='rotate({rot} {x} {y})'>{text[i]}</text>");
        }
        sb.Append("</svg>");
        return "data:image/svg+xml;base64," + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(sb.ToString()));
    }
}
