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
    public abstract partial class AlexaAccountCmdlet : AlexaCmdlet
    {
        protected const string SessionSet = "Session";
        protected const string AccountSet = "Account";

        /// <summary>
        /// The session to work in. Virtual so that a cmdlet which also takes piped objects (records,
        /// settings) can offer it in that parameter set too; its override declares every set.
        /// </summary>
        [Parameter(ParameterSetName = SessionSet, ValueFromPipeline = true)]
        [ValidateNotNull]
        public virtual AlexaSession Session { get; set; }

        [Parameter(ParameterSetName = AccountSet, ValueFromPipelineByPropertyName = true)]
        [Alias("UserName", "Account", "EmailAddress")]
        [AllowEmptyString]
        public string Email { get; set; }

        [Parameter(ParameterSetName = AccountSet, ValueFromPipelineByPropertyName = true)]
        [CredentialTransformation]
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
        [ArgumentCompleter(typeof(SessionPathCompleter))]
        public string SessionPath { get; set; }

        [Parameter(ParameterSetName = AccountSet)]
        public Uri BaseUri { get; set; }

        [Parameter(ParameterSetName = AccountSet)]
        public string BrowserPath { get; set; }

        /// <summary>A site profile file laid over the embedded one, for accounts signed in by this command.</summary>
        [Parameter(ParameterSetName = AccountSet)]
        [ValidateNotNullOrEmpty]
        public string SiteProfile { get; set; }

        /// <summary>
        /// Hidden: a piped object that binds nothing else (see <see cref="AlexaPipedRow"/>), refused with
        /// the module's own error instead of PowerShell's binding error that would hold the raw row.
        /// </summary>
        [Parameter(ParameterSetName = SessionSet, ValueFromPipeline = true, DontShow = true)]
        [Parameter(ParameterSetName = AccountSet, ValueFromPipeline = true, DontShow = true)]
        public AlexaPipedRow InputRow { get; set; }

        internal const string RowNeeds = "Give each row an Email (or UserName, Account or Credential) column, with Password, TotpSecret, Marketplace or SessionPath as needed, and leave -Session out; or pipe sessions, settings or records.";

        /// <summary>True (with an error for that row) when the current input is a piped row none of whose columns bound.</summary>
        internal bool RefusedUnboundRow()
        {
            var error = UnboundRow(InputRow, RowNeeds);
            if (error == null) return false;
            Runner.Reject(InputRow, error);
            return true;
        }

        /// <summary>How many accounts are worked on at once.</summary>
        [Parameter]
        [ValidateRange(1, 32)]
        public int ThrottleLimit { get; set; } = 4;

        private AccountRunner _runner;
        private Site.SiteProfile _profile;

        /// <summary>A verb phrase for progress, such as "Turning off human review".</summary>
        protected abstract string Activity { get; }

        /// <summary>True for the cmdlets of "Manage Your Alexa Data": a sign-in for them lands on that page directly.</summary>
        internal virtual bool WorksOnSettingsPage => false;

        /// <summary>The site profile of this command: the session's, or the -SiteProfile file over the embedded one.</summary>
        internal Site.SiteProfile Profile()
        {
            if (ParameterSetName != AccountSet) return (Session ?? SessionRegistry.GetCurrent())?.Profile ?? Site.SiteProfile.Resolve();
            if (_profile == null)
            {
                // Read once per command: every row then sees the same profile, and a malformed one stops the command before any sign-in.
                try { _profile = Site.SiteProfile.Resolve(SiteProfile == null ? null : GetUnresolvedProviderPathFromPSPath(SiteProfile)); }
                catch (AlexaException e) { ThrowTerminatingError(e.ToErrorRecord(SiteProfile)); }
                if (_profile.IsOverride) WriteWarning(_profile.OverrideWarning);
            }
            return _profile;
        }

        internal AccountRunner Runner => _runner ?? (_runner = new AccountRunner(this, Activity));

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            Runner.ThrottleLimit = ThrottleLimit;
            if (this is IAuditedCmdlet audited)
            {
                try { AuditLog = AuditLog.Open(this, audited.AuditLogPath, WhatIfGiven); }
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
            Runner.AddAccount(input, work);
        }

        /// <summary>Queues <paramref name="work"/> for a session known without pipeline binding (records piped in carry theirs).</summary>
        internal void EnqueueFor(AlexaSession session, object target, Func<AccountWork, Task> work) => Runner.AddForSession(session, target, work);

        /// <summary>Refuses the current row before any browser work (an input error found by the cmdlet itself), naming its account.</summary>
        internal void Reject(AlexaException error) => Runner.Reject(CurrentTarget(), error.ForAccount(CurrentAccount()));

        /// <summary>Refuses one piped object (a record, a setting) before any browser work.</summary>
        internal void Reject(object target, AlexaException error, string account) => WriteError(error.ForAccount(account).ToErrorRecord(target));

        protected override void EndProcessing() => Runner.Finish();

        /// <summary>
        /// The wanted value of each setting of the current row, read against the command's profile;
        /// null, with one error for the row naming the first that cannot be done, before anyone signs in for it.
        /// </summary>
        internal SettingRequest[] SettingRequests(IEnumerable<string> names, WantedValue wanted)
        {
            if (RefusedUnboundRow()) return null;
            var requests = new List<SettingRequest>();
            try
            {
                foreach (string name in names) requests.Add(SettingRequest.Parse(Profile(), name, wanted));
                return requests.ToArray();
            }
            catch (AlexaException e)
            {
                Reject(e);
                return null;
            }
        }

        // The session, or the row's bound columns with every secret replaced (see DescribeInput).
        private object CurrentTarget() =>
            ParameterSetName != AccountSet ? (object)(Session ?? SessionRegistry.GetCurrent()) : DescribeInput();

        // The account the current row names, for error messages.
        private string CurrentAccount()
        {
            if (ParameterSetName != AccountSet) return (Session ?? SessionRegistry.GetCurrent())?.Account;
            if (!string.IsNullOrWhiteSpace(Email)) return Email.Trim();
            return Credential?.UserName;
        }

        private AccountInput CaptureInput()
        {
            if (RefusedUnboundRow()) return null;
            if (ParameterSetName == AccountSet)
            {
                var refused = SecretTransformationAttribute.Refusal(Password, TotpSecret, Credential);
                if (refused != null)
                {
                    Runner.Reject(CurrentTarget(), string.IsNullOrWhiteSpace(Email) ? refused : refused.ForAccount(Email.Trim()));
                    return null;
                }
            }
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
                BaseUri = BaseUri,
                BrowserPath = BrowserPath,
                Profile = Profile(),
                LandingPath = WorksOnSettingsPage ? Profile().Paths.Settings : null,
            };
            target = target ?? email;
            if (!SessionFile.Use(this, request, SessionPath, false, Runner, target)) return null;
            if (!Runner.Admit(request, target, PlainTextSecrets.Has(password) || PlainTextSecrets.Has(TotpSecret))) return null;
            return new AccountInput { Request = request, Target = target };
        }
    }
}
