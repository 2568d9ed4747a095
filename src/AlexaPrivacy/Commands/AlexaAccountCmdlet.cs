// The base of every data cmdlet: -Session (or the runspace's current session), or account
// columns bound by property name from a CSV row, worked on up to -ThrottleLimit accounts at once.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using AlexaPrivacy.Execution;
using AlexaPrivacy.Pages;
using AlexaPrivacy.Site;

namespace AlexaPrivacy.Commands
{
    public abstract class AlexaAccountCmdlet : AlexaCmdlet
    {
        protected const string SessionSet = "Session";
        protected const string AccountSet = "Account";

        [Parameter(ParameterSetName = SessionSet, ValueFromPipeline = true)]
        [ValidateNotNull]
        public AlexaSession Session { get; set; }

        [Parameter(ParameterSetName = AccountSet, ValueFromPipelineByPropertyName = true)]
        [Alias("UserName", "Account", "EmailAddress")]
        [AllowEmptyString]
        public string Email { get; set; }

        [Parameter(ParameterSetName = AccountSet, ValueFromPipelineByPropertyName = true)]
        [Credential]
        public PSCredential Credential { get; set; }

        [Parameter(ParameterSetName = AccountSet, ValueFromPipelineByPropertyName = true)]
        [SecretTransformation]
        [AllowNull]
        public SecureString Password { get; set; }

        [Parameter(ParameterSetName = AccountSet, ValueFromPipelineByPropertyName = true)]
        [SecretTransformation]
        [AllowNull]
        public SecureString TotpSecret { get; set; }

        [Parameter(ParameterSetName = AccountSet, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(MarketplaceCompleter))]
        [AllowEmptyString]
        public string Marketplace { get; set; }

        [Parameter(ParameterSetName = AccountSet, ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        public string SessionPath { get; set; }

        [Parameter(ParameterSetName = AccountSet)]
        public Uri BaseUri { get; set; }

        [Parameter(ParameterSetName = AccountSet)]
        public string BrowserPath { get; set; }

        /// <summary>A site profile file laid over the embedded one, for accounts signed in by this command.</summary>
        [Parameter(ParameterSetName = AccountSet)]
        [ValidateNotNullOrEmpty]
        public string SiteProfile { get; set; }

        /// <summary>How many accounts are worked on at once.</summary>
        [Parameter]
        [ValidateRange(1, 32)]
        public int ThrottleLimit { get; set; } = 4;

        private AccountRunner _runner;
        private Site.SiteProfile _profile;

        private static readonly ConditionalWeakTable<SecureString, object> PlainTextSecrets = new ConditionalWeakTable<SecureString, object>();

        internal static void MarkPlainText(SecureString secret)
        {
            if (secret != null) PlainTextSecrets.GetValue(secret, _ => new object());
        }

        internal static bool IsPlainText(SecureString secret) => secret != null && PlainTextSecrets.TryGetValue(secret, out _);

        /// <summary>A verb phrase for progress, such as "Turning off human review".</summary>
        protected abstract string Activity { get; }

        /// <summary>True for the cmdlets of "Manage Your Alexa Data": a sign-in for them lands on that page directly.</summary>
        internal virtual bool WorksOnSettingsPage => false;

        /// <summary>The site profile of this command: the session's, or the -SiteProfile file over the embedded one.</summary>
        internal Site.SiteProfile Profile()
        {
            if (ParameterSetName == SessionSet) return (Session ?? SessionRegistry.GetCurrent())?.Profile ?? Site.SiteProfile.Resolve();
            if (_profile == null)
            {
                // Read once per command: every row then sees the same profile, and a malformed one stops the command before any sign-in.
                try { _profile = Site.SiteProfile.Resolve(SiteProfile == null ? null : GetUnresolvedProviderPathFromPSPath(SiteProfile)); }
                catch (AlexaException e) { ThrowTerminatingError(e.ToErrorRecord(SiteProfile)); }
            }
            return _profile;
        }

        /// <summary>True when -WhatIf (or $WhatIfPreference) asks only to show what would change.</summary>
        internal bool WhatIfRequested => MyInvocation.BoundParameters.TryGetValue("WhatIf", out var whatIf)
            ? ((SwitchParameter)whatIf).IsPresent
            : LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference"));

        internal AccountRunner Runner => _runner ?? (_runner = new AccountRunner(this, Activity));

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            Runner.ThrottleLimit = ThrottleLimit;
            if (this is IAuditedCmdlet audited)
            {
                try { AuditLog = AuditLog.Open(this, audited.AuditLogPath, WhatIfRequested); }
                catch (AlexaException e) { ThrowTerminatingError(e.ToErrorRecord(audited.AuditLogPath)); }
            }
        }

        /// <summary>Queues <paramref name="work"/> for the account that the current pipeline input names.</summary>
        internal void Enqueue(Func<AccountWork, Task> work)
        {
            var input = CaptureInput();
            if (input == null)
            {
                Runner.Step();
                return;
            }
            Runner.Add(input, account => RunAccountAsync(account, work));
        }

        /// <summary>Queues <paramref name="work"/> for a session known without pipeline binding (records piped in carry theirs).</summary>
        internal void EnqueueFor(AlexaSession session, object target, Func<AccountWork, Task> work) =>
            Runner.Add(new AccountInput { Session = session, Target = target ?? session }, account => RunAccountAsync(account, work));

        /// <summary>Refuses the current row before any browser work (an input error found by the cmdlet itself).</summary>
        internal void Reject(AlexaException error) => Runner.Reject(CurrentTarget(), error);

        protected override void EndProcessing() => Runner.Finish();

        /// <summary>Refuses a row whose Name, Enabled or Value cannot be read before anyone signs in for it.</summary>
        internal bool InputIsValid(string name, object enabled, string value)
        {
            try
            {
                SetAlexaDataSettingCommand.Desired(Profile(), name, enabled, value);
                return true;
            }
            catch (AlexaException e)
            {
                Reject(e);
                return false;
            }
        }


        // The session, or the row's bound columns with every secret replaced (see DescribeInput).
        private object CurrentTarget() =>
            ParameterSetName == SessionSet ? (object)(Session ?? SessionRegistry.GetCurrent()) : DescribeInput();

        private AccountInput CaptureInput()
        {
            object target = CurrentTarget();
            if (ParameterSetName == SessionSet)
            {
                var session = Session ?? SessionRegistry.GetCurrent();
                if (session == null)
                {
                    var error = new AlexaException(AlexaErrorId.NoSession, ErrorCategory.InvalidOperation,
                        "There is no current Alexa session in this PowerShell session.")
                    { RecommendedAction = "Run Connect-AlexaAccount first, or pass -Session, or give -Email with -Password or -Credential." };
                    ThrowTerminatingError(error.ToErrorRecord(target));
                }
                return new AccountInput { Session = session, Target = target ?? session };
            }

            string email = Email;
            SecureString password = Password;
            if (Credential != null)
            {
                if (string.IsNullOrWhiteSpace(email)) email = Credential.UserName;
                if (password == null) password = Credential.Password;
            }
            var request = new ConnectRequest
            {
                Email = email,
                Password = password,
                TotpSecret = TotpSecret,
                Marketplace = string.IsNullOrWhiteSpace(Marketplace) ? null : Marketplace,
                SessionPath = string.IsNullOrWhiteSpace(SessionPath) ? null : SessionPath,
                BaseUri = BaseUri,
                BrowserPath = BrowserPath,
                Profile = Profile(),
                LandingPath = WorksOnSettingsPage ? Profile().Paths.Settings : null,
            };
            target = target ?? email;
            if (!Runner.Admit(request, target, IsPlainText(password) || IsPlainText(TotpSecret))) return null;
            return new AccountInput { Request = request, Target = target };
        }

        private async Task RunAccountAsync(AccountWork work, Func<AccountWork, Task> body)
        {
            var input = work.Input;
            AlexaSession session = null;
            bool ephemeral = false;
            try
            {
                if (input.Session != null)
                {
                    session = input.Session;
                }
                else
                {
                    session = await SessionOpener.OpenAsync(input.Request, work.WriteVerbose, work.Cancel).ConfigureAwait(false);
                    ephemeral = true;
                }
                await session.Gate.WaitAsync(work.Cancel).ConfigureAwait(false);
                AlexaException translated = null;
                try
                {
                    work.Session = session;
                    await body(work).ConfigureAwait(false);
                }
                catch (Exception e) when (!work.Cancel.IsCancellationRequested && (translated = Translate(e, input.Label)) != null)
                {
                    // Saved while the page is still there: the page is released and the session closed below.
                    var error = await PageTools.WithDiagnosticsAsync(translated, session, Activity).ConfigureAwait(false);
                    if (ReferenceEquals(error, e)) throw;
                    throw error;
                }
                finally
                {
                    // A kept session gives its page (a renderer process) back between commands, so that
                    // hundreds of sessions piped from Connect-AlexaAccount hold cookies, not processes.
                    if (!ephemeral) await SessionOpener.ReleasePageAsync(session).ConfigureAwait(false);
                    session.Gate.Release();
                }
            }
            finally
            {
                if (ephemeral && session != null) await session.CloseAsync().ConfigureAwait(false);
            }
        }
    }
}
