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
            return Page(EmailPage(state, t, state.Variant, flow, null, null));
        });

        app.MapPost("/ap/signin", async (HttpContext ctx) =>
        {
            var form = await ctx.Request.ReadFormAsync();
            var t = state.TextsOf(ctx);
            var flow = state.Store.FindFlow(form["workflowState"]);
            if (flow == null)
            {
                flow = state.Store.NewFlow(state.SafeReturnTo(ctx, form["openid.return_to"]));
                if (!form.ContainsKey("email")) return Page(EmailPage(state, t, state.Variant, flow, null, t["signin.sessionExpired"]));
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
            return Page(MfaPage(t, state.Variant, flow, null));
        });

        app.MapPost("/ap/mfa", async (HttpContext ctx) =>
        {
            var form = await ctx.Request.ReadFormAsync();
            var t = state.TextsOf(ctx);
            var flow = state.Store.FindFlow(form["workflowState"]);
            if (flow == null || flow.Step != "mfa") return Results.Redirect(state.SignInUrl(ctx, state.BaseUrl(ctx) + "/alexa-privacy/apd/home"));
            var account = state.Store.Find(flow.Email);
            if (account == null) return Page(EmailPage(state, t, state.Variant, flow, null, t["signin.noAccount"]));
            string code = form["otpCode"];
            if (!string.IsNullOrEmpty(code)) state.Store.RecordCode(account, code);
            if (string.IsNullOrEmpty(account.TotpSecret) || Totp.Verify(account.TotpSecret, form["otpCode"], DateTimeOffset.UtcNow))
                return Complete(ctx, state, flow, account);
            return Page(MfaPage(t, state.Variant, flow, t["mfa.invalid"]));
        });

        app.MapGet("/ap/cvf/approval", (HttpContext ctx) =>
        {
            var t = state.TextsOf(ctx);
            var flow = state.Store.FindFlow(ctx.Request.Query["arb"]);
            if (flow == null || flow.Step != "approval") return Results.Redirect(state.SignInUrl(ctx, state.BaseUrl(ctx) + "/alexa-privacy/apd/home"));
            return Page(ApprovalPage(t, state.Variant, flow));
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

        // Passkey prompt (accounts with a passkey, after the email step): a WebAuthn request and a
        // link to the password step. The page never moves on by itself.
        app.MapGet("/ax/claim/webauthn", (HttpContext ctx) =>
        {
            var t = state.TextsOf(ctx);
            var flow = state.Store.FindFlow(ctx.Request.Query["arb"]);
            if (flow == null || flow.Step != "passkey") return Results.Redirect(state.SignInUrl(ctx, state.BaseUrl(ctx) + "/alexa-privacy/apd/home"));
            return Page(PasskeyPage(t, state.Variant, flow));
        });

        app.MapGet("/ax/claim", (HttpContext ctx) =>
        {
            var t = state.TextsOf(ctx);
            var flow = state.Store.FindFlow(ctx.Request.Query["arb"]);
            if (flow == null || flow.Email == null || (flow.Step != "passkey" && flow.Step != "password"))
                return Results.Redirect(state.SignInUrl(ctx, state.BaseUrl(ctx) + "/alexa-privacy/apd/home"));
            flow.Step = "password";
            return Page(PasswordPage(t, state.Variant, flow, null));
        });

        // Interstitials after the last step ("Add mobile number", passkey offer). No session
        // cookie is set before the person declines (or completes) the last of them.
        app.MapGet("/ap/accountfixup", (HttpContext ctx) =>
        {
            var t = state.TextsOf(ctx);
            var flow = state.Store.FindFlow(ctx.Request.Query["arb"]);
            var account = flow == null ? null : state.Store.Find(flow.Email);
            if (flow == null || account == null || flow.Step != "fixup" || flow.Interstitials == null)
                return Results.Redirect(state.SignInUrl(ctx, state.BaseUrl(ctx) + "/alexa-privacy/apd/home"));
            if (ctx.Request.Query["action"] == "skip") return Decline(ctx, state, flow, account, ctx.Request.Query["interstitial"]);
            return Page(FixupPage(t, state.Variant, flow, null));
        });

        app.MapPost("/ap/accountfixup", async (HttpContext ctx) =>
        {
            var form = await ctx.Request.ReadFormAsync();
            var t = state.TextsOf(ctx);
            var flow = state.Store.FindFlow(form["workflowState"]);
            var account = flow == null ? null : state.Store.Find(flow.Email);
            if (flow == null || account == null || flow.Step != "fixup" || flow.Interstitials == null)
                return Results.Redirect(state.SignInUrl(ctx, state.BaseUrl(ctx) + "/alexa-privacy/apd/home"));
            if (form["action"] == "skip") return Decline(ctx, state, flow, account, form["interstitial"]);
            if (flow.Interstitials.Count > 0 && flow.Interstitials.Peek() == "phone")
            {
                if (string.IsNullOrWhiteSpace(form["phoneNumber"])) return Page(FixupPage(t, state.Variant, flow, t["fixup.phone.enter"]));
                return Decline(ctx, state, flow, account, "phone");
            }
            return Page(FixupPage(t, state.Variant, flow, null));
        });

        app.MapMethods("/ap/forgotpassword", new[] { "GET", "POST" }, (HttpContext ctx) =>
        {
            var t = state.TextsOf(ctx);
            bool locked = ctx.Request.Query["reason"] == "locked";
            return Page(ForgotPasswordPage(t, state.Variant, locked));
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
        if (email.Length == 0) return Page(EmailPage(state, t, state.Variant, flow, "", t["signin.enterEmail"]));
        var account = state.Store.Find(email);
        if (account == null || account.Marketplace != state.Marketplace)
            return Page(EmailPage(state, t, state.Variant, flow, email, t["signin.noAccount"]));
        flow.Email = account.Email;
        flow.CaptchaPassed = false;
        flow.Approved = false;
        if (account.Locked) return LockedRedirect();
        if (account.Passkey || state.Variant?.Is("passkeyPrompt", "all-accounts") == true)
        {
            flow.Step = "passkey";
            return Results.Redirect("/ax/claim/webauthn?arb=" + Uri.EscapeDataString(flow.Token));
        }
        flow.Step = "password";
        if (state.Variant?.Is("passwordStep", "ax-claim") == true)
            return Results.Redirect("/ax/claim?arb=" + Uri.EscapeDataString(flow.Token) + "&policy=password");
        return Page(PasswordPage(t, state.Variant, flow, null));
    }

    private static IResult PasswordStep(HttpContext ctx, ReplicaState state, Texts t, SignInFlow flow, IFormCollection form)
    {
        var account = state.Store.Find(flow.Email);
        if (account == null || account.Marketplace != state.Marketplace)
            return Page(EmailPage(state, t, state.Variant, flow, flow.Email, t["signin.noAccount"]));
        if (account.Locked) return LockedRedirect();
        string password = form["password"];
        if (string.IsNullOrEmpty(password)) return Page(PasswordPage(t, state.Variant, flow, t["signin.enterPassword"]));
        bool right = state.Store.CheckPassword(account, password);
        if (account.Locked) return LockedRedirect();
        if (!right) return Page(PasswordPage(t, state.Variant, flow, t["signin.wrongPassword"]));

        flow.RememberMe = IsChecked(form["rememberMe"]);
        return Next(ctx, state, t, flow, account);
    }

    private static IResult CaptchaStep(HttpContext ctx, ReplicaState state, Texts t, SignInFlow flow, IFormCollection form)
    {
        var account = state.Store.Find(flow.Email);
        if (account == null) return Page(EmailPage(state, t, state.Variant, flow, flow.Email, t["signin.noAccount"]));
        string guess = form["guess"].ToString().Trim();
        if (account.CaptchaText != null && string.Equals(guess, account.CaptchaText, StringComparison.OrdinalIgnoreCase))
        {
            flow.CaptchaPassed = true;
            return Next(ctx, state, t, flow, account);
        }
        account.CaptchaText = NewCaptchaText();
        return Page(CaptchaPage(t, state.Variant, flow, account.CaptchaText, t["captcha.wrong"]));
    }

    /// <summary>After a correct password: captcha, then push approval or one-time code, then done.</summary>
    private static IResult Next(HttpContext ctx, ReplicaState state, Texts t, SignInFlow flow, Account account)
    {
        if (account.Challenge == "captcha" && !flow.CaptchaPassed)
        {
            flow.Step = "captcha";
            account.CaptchaText = NewCaptchaText();
            return Page(CaptchaPage(t, state.Variant, flow, account.CaptchaText, null));
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

    /// <summary>Declines (or completes) the current interstitial; then the next one, or signs in.</summary>
    private static IResult Decline(HttpContext ctx, ReplicaState state, SignInFlow flow, Account account, string which)
    {
        if (state.Store.DeclineInterstitial(flow, which)) return Results.Redirect("/ap/accountfixup?arb=" + Uri.EscapeDataString(flow.Token));
        return CompleteNow(ctx, state, flow, account);
    }

    private static IResult LockedRedirect() => Results.Redirect("/ap/forgotpassword?reason=locked");

    /// <summary>After the last step: the interstitials still to decline, else signs in.</summary>
    private static IResult Complete(HttpContext ctx, ReplicaState state, SignInFlow flow, Account account)
    {
        if (flow.Interstitials == null)
        {
            var wanted = state.Faults.Current.Interstitials
                ?? (state.Variant == null || state.Variant.Is("interstitials", "none") ? new List<string>() : state.Variant["interstitials"].Split('+').ToList());
            flow.Interstitials = new Queue<string>(wanted);
        }
        if (flow.Interstitials.Count > 0)
        {
            flow.Step = "fixup";
            return Results.Redirect("/ap/accountfixup?arb=" + Uri.EscapeDataString(flow.Token));
        }
        return CompleteNow(ctx, state, flow, account);
    }

    /// <summary>Signs in: server-side session, Amazon's cookies, 302 back to return_to.</summary>
    private static IResult CompleteNow(HttpContext ctx, ReplicaState state, SignInFlow flow, Account account)
    {
        var session = state.Store.CreateSession(account.Email);
        state.Store.RecordSignIn(account);
        flow.Step = "done";
        state.Store.EndFlow(flow);

        DateTimeOffset? expires = flow.RememberMe ? DateTimeOffset.UtcNow.AddYears(1) : null;
        void Set(string name, string value, bool httpOnly)
        {
            ctx.Response.Cookies.Append(name, value, new CookieOptions { Path = "/", HttpOnly = httpOnly, Expires = expires, SameSite = SameSiteMode.Lax });
            if (name != "session-id-time") state.Store.RecordCookie(account, value);
        }
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

    // ---- variant pieces (see Variant.cs); with no variant each returns today's markup or nothing ----

    private static bool Overlay(Variant v) => v?.Is("signinSubmit", "transparent-overlay") == true;

    /// <summary>A transparent submit input laid over a visible text span; the contract id stays on the input.</summary>
    private static string OverlaySubmit(string id, string label, string wrapperId) => $$"""
        <span {{(wrapperId == null ? "" : $"id=\"{wrapperId}\" ")}}class="a-button a-button-primary a-button-span12 a-button-overlay" style="position:relative;display:block;border-radius:8px;background:#ffd814;border:1px solid #fcd200">
          <span class="a-button-inner" style="display:block;position:relative">
            <input id="{{id}}" class="a-button-input" type="submit" aria-labelledby="{{id}}-announce" style="position:absolute;top:0;left:0;width:100%;height:100%;margin:0;padding:0;border:0;opacity:0;cursor:pointer;z-index:1">
            <span id="{{id}}-announce" class="a-button-text" aria-hidden="true" style="display:block;padding:6px 10px;text-align:center">{{E(label)}}</span>
          </span>
        </span>
        """;

    /// <summary>Error and warning boxes: only when there is a message, or (variant) always present, hidden and empty without one.</summary>
    private static string Boxes(Texts t, Variant v, string error, string warning)
    {
        if (v == null || !v.Is("signinMessageBoxes", "always-present")) return ErrorBox(t, error) + WarningBox(t, warning);
        string errorBox = error != null ? ErrorBox(t, error) : """
            <div id="auth-error-message-box" class="a-box a-alert a-alert-error auth-server-side-message-box a-spacing-base" role="alert" hidden style="display:none">
              <div class="a-box-inner a-alert-container"><h4 class="a-alert-heading"></h4><i class="a-icon a-icon-alert"></i>
                <div class="a-alert-content"><ul class="a-unordered-list a-nostyle a-vertical a-spacing-none"></ul></div></div>
            </div>
            """;
        string warningBox = warning != null ? WarningBox(t, warning) : """
            <div id="auth-warning-message-box" class="a-box a-alert a-alert-warning auth-server-side-message-box a-spacing-base" role="alert" hidden style="display:none">
              <div class="a-box-inner a-alert-container"><h4 class="a-alert-heading"></h4><i class="a-icon a-icon-alert"></i><div class="a-alert-content"></div></div>
            </div>
            """;
        return errorBox + warningBox;
    }

    /// <summary>Captcha and code pages: the email again, as a hidden input with the contract id.</summary>
    private static string LaterStepDuplicate(Variant v, Texts t, SignInFlow flow)
    {
        if (v?.Is("signinDuplicates", "type-hidden") == true) return $"<input type=\"hidden\" id=\"ap_email\" name=\"email\" value=\"{E(flow.Email)}\">";
        return CssHiddenEmail(v, t, flow);
    }

    private static string CssHiddenEmail(Variant v, Texts t, SignInFlow flow) =>
        v?.Is("signinDuplicates", "css-hidden") != true ? "" : $$"""
            <div class="a-section a-spacing-none auth-hidden-claim" style="display:none">
              <label for="ap_email" class="a-form-label">{{E(t["signin.emailLabel"])}}</label>
              <input type="email" maxlength="128" id="ap_email" name="email" value="{{E(flow.Email)}}" class="a-input-text a-span12" tabindex="-1">
            </div>
            """;

    /// <summary>Email page: a hidden password field with the contract id (no name, never submitted).</summary>
    private static string CssHiddenPassword(Variant v, Texts t) =>
        v?.Is("signinDuplicates", "css-hidden") != true ? "" : $$"""
            <div class="a-section a-spacing-none auth-hidden-password" style="display:none" aria-hidden="true">
              <label for="ap_password" class="a-form-label">{{E(t["signin.passwordLabel"])}}</label>
              <input type="password" maxlength="1024" id="ap_password" autocomplete="off" class="a-input-text a-span12" tabindex="-1">
            </div>
            """;

    private static string Hidden(SignInFlow flow) => $"""
        <input type="hidden" name="appActionToken" value="{E(AccountStore.RandomToken(24))}">
        <input type="hidden" name="workflowState" value="{E(flow.Token)}">
        <input type="hidden" name="openid.return_to" value="{E(flow.ReturnTo)}">
        """;

    private static string EmailPage(ReplicaState state, Texts t, Variant v, SignInFlow flow, string email, string error) =>
        AuthFrame(t, t["signin.title"], v, $$"""
            {{Boxes(t, v, error, null)}}
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
                    {{CssHiddenPassword(v, t)}}
                    <div class="a-section a-spacing-medium">
                      {{(Overlay(v) ? OverlaySubmit("continue", t["signin.continue"], "continue-span") : $$"""
                      <span id="continue-span" class="a-button-span12">
                        <input id="continue" class="a-button-primary a-button-input" type="submit" value="{{E(t["signin.continue"])}}" aria-labelledby="continue-announce">
                        <span id="continue-announce" class="visually-hidden">{{E(t["signin.continue"])}}</span>
                      </span>
        """)}}
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

    private static string PasswordPage(Texts t, Variant v, SignInFlow flow, string error) =>
        AuthFrame(t, t["signin.title"], v, $$"""
            {{Boxes(t, v, error, null)}}
            <div class="a-section auth-pagelet-container">
              <div class="a-box"><div class="a-box-inner a-padding-extra-large">
                <h1 class="a-spacing-small">{{E(t["signin.heading"])}}</h1>
                <div class="a-row a-spacing-base auth-email-row">
                  <span>{{E(flow.Email)}}</span>
                  <a id="ap_change_login_claim" class="a-link-normal" href="/ap/signin?openid.return_to={{E(Uri.EscapeDataString(flow.ReturnTo))}}">{{E(t["signin.change"])}}</a>
                </div>
                <form name="signIn" method="post" novalidate action="/ap/signin" class="auth-validate-form auth-real-time-validation a-spacing-none">
                  {{Hidden(flow)}}
                  {{(v?.Is("signinDuplicates", "type-hidden") == true ? $"<input type=\"hidden\" id=\"ap_email\" name=\"email\" value=\"{E(flow.Email)}\">" : $"<input type=\"hidden\" name=\"email\" value=\"{E(flow.Email)}\">")}}
                  {{CssHiddenEmail(v, t, flow)}}
                  <div class="a-section">
                    <div class="a-row"><div class="a-column a-span5">
                      <label for="ap_password" class="a-form-label">{{E(t["signin.passwordLabel"])}}</label></div>
                      <div class="a-column a-span7 a-text-right a-span-last"><a id="auth-fpp-link-bottom" class="a-link-normal" href="/ap/forgotpassword">{{E(t["signin.forgot"])}}</a></div>
                    </div>
                    <input type="password" maxlength="1024" id="ap_password" autocomplete="current-password" name="password" class="a-input-text a-span12 auth-autofocus auth-required-field" autofocus>
                    <div class="a-section a-spacing-extra-large a-spacing-top-base">
                      {{(Overlay(v) ? OverlaySubmit("signInSubmit", t["signin.submit"], "auth-signin-button") : $$"""
                      <span id="auth-signin-button" class="a-button-span12">
                        <input id="signInSubmit" class="a-button-primary a-button-input" type="submit" value="{{E(t["signin.submit"])}}" aria-labelledby="auth-signin-button-announce">
                        <span id="auth-signin-button-announce" class="visually-hidden">{{E(t["signin.submit"])}}</span>
                      </span>
        """)}}
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

    private static string CaptchaPage(Texts t, Variant v, SignInFlow flow, string captchaText, string error) =>
        AuthFrame(t, t["signin.title"], v, $$"""
            {{Boxes(t, v, error, null)}}
            <div class="a-section auth-pagelet-container">
              <div class="a-box"><div class="a-box-inner a-padding-extra-large">
                <h1 class="a-spacing-small">{{E(t["captcha.heading"])}}</h1>
                <form name="signIn" method="post" novalidate action="/ap/signin" class="auth-validate-form a-spacing-none">
                  {{Hidden(flow)}}
                  {{LaterStepDuplicate(v, t, flow)}}
                  <p id="auth-captcha-instructions">{{E(t["captcha.text"])}}</p>
                  <img id="auth-captcha-image" alt="{{E(t["captcha.imageAlt"])}}" width="200" height="70" src="{{CaptchaImage(captchaText)}}">
                  <label for="auth-captcha-guess" class="a-form-label">{{E(t["captcha.label"])}}</label>
                  <input type="text" id="auth-captcha-guess" name="guess" autocomplete="off" class="a-input-text a-span12 auth-required-field" autofocus>
                  <div class="a-section a-spacing-top-base">
                    {{(Overlay(v) ? OverlaySubmit("signInSubmit", t["signin.continue"], null) : $$"""<input id="signInSubmit" class="a-button-primary a-button-input" type="submit" value="{{E(t["signin.continue"])}}">""")}}
                  </div>
                </form>
              </div></div>
            </div>
            """);

    private static string MfaPage(Texts t, Variant v, SignInFlow flow, string error) =>
        AuthFrame(t, t["mfa.title"], v, $$"""
            {{Boxes(t, v, error, null)}}
            <div class="a-section auth-pagelet-container">
              <div class="a-box"><div class="a-box-inner a-padding-extra-large">
                <h1 class="a-spacing-small">{{E(t["mfa.title"])}}</h1>
                <form id="auth-mfa-form" name="signIn" method="post" novalidate action="/ap/mfa" class="a-spacing-none">
                  {{Hidden(flow)}}
                  <input type="hidden" name="otpDeviceContext" value="aAbBcCdDeEfFgG">
                  {{LaterStepDuplicate(v, t, flow)}}
                  <p>{{E(t["mfa.text"])}}</p>
                  <label for="auth-mfa-otpcode" class="a-form-label">{{E(t["mfa.codeLabel"])}}</label>
                  <input type="tel" id="auth-mfa-otpcode" name="otpCode" maxlength="20" autocomplete="one-time-code" class="a-input-text a-span12 auth-autofocus" autofocus>
                  <div class="a-row a-spacing-small a-spacing-top-small">
                    <div class="a-checkbox">
                      <input type="checkbox" id="auth-mfa-remember-device" name="rememberDevice" value="true">
                      <label for="auth-mfa-remember-device"><span class="a-label a-checkbox-label">{{E(t["mfa.remember"])}}</span></label>
                    </div>
                  </div>
                  {{(Overlay(v) ? OverlaySubmit("auth-signin-button", t["mfa.submit"], null) : $$"""
                  <span class="a-button-span12">
                    <input id="auth-signin-button" class="a-button-primary a-button-input" type="submit" value="{{E(t["mfa.submit"])}}">
                  </span>
        """)}}
                  <div class="a-row a-spacing-top-base"><a id="auth-get-new-otp-link" class="a-link-normal" href="#">{{E(t["mfa.lostDevice"])}}</a></div>
                </form>
              </div></div>
            </div>
            """);

    private static string ApprovalPage(Texts t, Variant v, SignInFlow flow) =>
        AuthFrame(t, t["approval.title"], v, $$"""
            {{Boxes(t, v, null, null)}}
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

    private static string PasskeyPage(Texts t, Variant v, SignInFlow flow)
    {
        string linkText = v?.Is("passkeyLink", "other-ways") == true ? t["passkey.otherWays"] : t["passkey.usePassword"];
        return AuthFrame(t, t["signin.title"], v, $$"""
            {{Boxes(t, v, null, null)}}
            <div class="a-section auth-pagelet-container">
              <div class="a-box"><div class="a-box-inner a-padding-extra-large">
                <h1 class="a-spacing-small">{{E(t["passkey.heading"])}}</h1>
                <div class="a-row a-spacing-base auth-email-row"><span>{{E(flow.Email)}}</span></div>
                <p>{{E(t["passkey.text"])}}</p>
                <p id="passkey-status" class="a-color-secondary" aria-live="polite">{{E(t["passkey.waiting"])}}</p>
                <div class="a-row a-spacing-top-base"><a id="auth-passkey-password-link" class="a-link-normal" href="/ax/claim?arb={{E(Uri.EscapeDataString(flow.Token))}}&amp;policy=password">{{E(linkText)}}</a></div>
              </div></div>
            </div>
            <script>
            (function () {
              var status = document.getElementById("passkey-status");
              var failed = {{Json(t["passkey.failed"])}};
              function fail() { status.textContent = failed; }
              if (!window.PublicKeyCredential || !navigator.credentials || !navigator.credentials.get) { fail(); return; }
              var challenge = new Uint8Array(32);
              crypto.getRandomValues(challenge);
              try {
                navigator.credentials.get({ publicKey: { challenge: challenge, timeout: 120000, userVerification: "preferred", allowCredentials: [] } })
                  .then(function () { fail(); }, function () { fail(); });
              } catch (e) { fail(); }
            })();
            </script>
            """);
    }

    private static string FixupPage(Texts t, Variant v, SignInFlow flow, string error)
    {
        string which = flow.Interstitials.Count > 0 ? flow.Interstitials.Peek() : "phone";
        string token = Uri.EscapeDataString(flow.Token);
        if (which == "phone")
            return AuthFrame(t, t["fixup.phone.heading"], v, $$"""
                {{Boxes(t, v, error, null)}}
                <div class="a-section auth-pagelet-container">
                  <div class="a-box"><div class="a-box-inner a-padding-extra-large">
                    <h1 class="a-spacing-small">{{E(t["fixup.phone.heading"])}}</h1>
                    <p>{{E(t["fixup.phone.text"])}}</p>
                    <form id="ap-account-fixup-phone-form" name="accountFixup" method="post" novalidate action="/ap/accountfixup" class="a-spacing-none">
                      {{Hidden(flow)}}
                      <input type="hidden" name="interstitial" value="phone">
                      <label for="ap_phone_number" class="a-form-label">{{E(t["fixup.phone.label"])}}</label>
                      <input type="tel" id="ap_phone_number" name="phoneNumber" autocomplete="tel" class="a-input-text a-span12">
                      <div class="a-section a-spacing-top-base">
                        <input id="auth-verify-button" class="a-button-primary a-button-input" type="submit" value="{{E(t["fixup.phone.submit"])}}">
                      </div>
                    </form>
                    <div class="a-row a-spacing-top-base a-text-center">
                      <a id="ap-account-fixup-phone-skip-link" class="a-link-normal" href="/ap/accountfixup?arb={{E(token)}}&amp;action=skip&amp;interstitial=phone">{{E(t["fixup.notNow"])}}</a>
                    </div>
                  </div></div>
                </div>
                """);
        string decline = v?.Is("passkeyDecline", "button") == true
            ? $$"""
                <form method="post" action="/ap/accountfixup" class="a-spacing-none a-text-center">
                  {{Hidden(flow)}}
                  <input type="hidden" name="interstitial" value="passkey">
                  <button type="submit" name="action" value="skip" id="passkey-nudge-skip-button" class="a-button">{{E(t["fixup.notNow"])}}</button>
                </form>
                """
            : $$"""<div class="a-row a-spacing-top-base a-text-center"><a id="passkey-nudge-skip-link" class="a-link-normal" href="/ap/accountfixup?arb={{E(token)}}&amp;action=skip&amp;interstitial=passkey">{{E(t["fixup.notNow"])}}</a></div>""";
        return AuthFrame(t, t["fixup.passkey.heading"], v, $$"""
            {{Boxes(t, v, error, null)}}
            <div class="a-section auth-pagelet-container">
              <div class="a-box"><div class="a-box-inner a-padding-extra-large">
                <h1 class="a-spacing-small">{{E(t["fixup.passkey.heading"])}}</h1>
                <p>{{E(t["fixup.passkey.text"])}}</p>
                <p id="passkey-setup-status" class="a-color-secondary" aria-live="polite"></p>
                <div class="a-section a-spacing-base">
                  <button type="button" id="passkey-nudge-setup-button" class="a-button-primary">{{E(t["fixup.passkey.setup"])}}</button>
                </div>
                {{decline}}
              </div></div>
            </div>
            <script>
            (function () {
              var failed = {{Json(t["passkey.failed"])}};
              var status = document.getElementById("passkey-setup-status");
              document.getElementById("passkey-nudge-setup-button").addEventListener("click", function () {
                function fail() { status.textContent = failed; }
                if (!window.PublicKeyCredential || !navigator.credentials || !navigator.credentials.create) { fail(); return; }
                var challenge = new Uint8Array(32), user = new Uint8Array(16);
                crypto.getRandomValues(challenge); crypto.getRandomValues(user);
                try {
                  navigator.credentials.create({ publicKey: { challenge: challenge, rp: { name: "Amazon" },
                    user: { id: user, name: "customer", displayName: "customer" },
                    pubKeyCredParams: [{ type: "public-key", alg: -7 }], timeout: 120000 } }).then(fail, fail);
                } catch (e) { fail(); }
              });
            })();
            </script>
            """);
    }

    // Amazon's own "Password assistance" form reuses the sign-in page's email id; a variant gives it one of its own.
    private static string ForgotEmailId(Variant v) => v?.Is("forgotPasswordEmail", "own-id") == true ? "ap_email_fpp" : "ap_email";

    private static string ForgotPasswordPage(Texts t, Variant v, bool locked) =>
        AuthFrame(t, t["forgot.title"], v, $$"""
            {{(v == null ? WarningBox(t, locked ? t["forgot.locked"] : null) : Boxes(t, v, null, locked ? t["forgot.locked"] : null))}}
            <div class="a-section auth-pagelet-container">
              <div class="a-box"><div class="a-box-inner a-padding-extra-large">
                <h1>{{E(t["forgot.heading"])}}</h1>
                <p>{{E(t["forgot.text"])}}</p>
                <form name="forgotPassword" method="post" action="/ap/forgotpassword" novalidate>
                  <label for="{{ForgotEmailId(v)}}" class="a-form-label">{{E(t["signin.emailLabel"])}}</label>
                  <input type="email" id="{{ForgotEmailId(v)}}" name="email" class="a-input-text a-span12">
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
