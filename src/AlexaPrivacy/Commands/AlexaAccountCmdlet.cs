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
        internal void EnqueueFor(AlexaSession session, object target, Func<AccountWork, Task> work)
        {
            // Objects of one session are worked on in the order they came, so results follow the input.
            _lastForSession.TryGetValue(session, out var previous);
            var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            _lastForSession[session] = done.Task;
            Runner.Add(new AccountInput { Session = session, Target = target ?? session }, async account =>
            {
                try
                {
                    if (previous != null) await previous.ConfigureAwait(false);
                    await RunAccountAsync(account, work).ConfigureAwait(false);
                }
                finally
                {
                    done.TrySetResult(true);
                }
            });
        }

        private readonly Dictionary<AlexaSession, Task> _lastForSession = new Dictionary<AlexaSession, Task>();

        /// <summary>Refuses the current row before any browser work (an input error found by the cmdlet itself), naming its account.</summary>
        internal void Reject(AlexaException error) => Runner.Reject(CurrentTarget(), error.ForAccount(CurrentAccount()));

        /// <summary>Refuses one piped object (a record, a setting) before any browser work.</summary>
        internal void Reject(object target, AlexaException error, string account) => WriteError(error.ForAccount(account).ToErrorRecord(target));

        /// <summary>
        /// The session that works on an object piped in (a record or a setting): the object's own, or
        /// -Session when given. Null, with an error for that object, when -Session belongs to another
        /// account than the one the object was read from (AlexaSessionMismatch), or when neither is known.
        /// </summary>
        internal AlexaSession SessionForObject(AlexaSession own, string account, object target, string what)
        {
            var given = Session;
            if (given == null)
            {
                if (own != null) return own;
                Reject(target, AlexaException.InvalidInput($"This {what} did not come from this PowerShell session, so the account it belongs to is unknown.")
                    .WithRecommendation("Pass -Session with the session of its account, or read it again with the cmdlet that produces it."), account);
                return null;
            }
            if (!SameAccount(own, account, given))
            {
                Reject(target, SessionMismatch(what, own?.Account ?? account, own?.Marketplace, given), account);
                return null;
            }
            return given;
        }

        /// <summary>
        /// The session for a setting piped in from Get-AlexaDataSetting, or null when it is not to be
        /// worked on: an error for a session mismatch or an unreadable -Enabled/-Value, a warning when
        /// the parameters given do not apply to its kind (-Enabled on the retention choice, say), so
        /// that "Get-AlexaDataSetting | Set-AlexaDataSetting -Enabled $false" turns off every switch.
        /// </summary>
        internal AlexaSession SessionForSetting(AlexaDataSetting setting, object enabled, string value)
        {
            var session = SessionForObject(setting.Session, setting.Account, setting, "setting");
            if (session == null) return null;
            var definition = session.Profile.Settings.FirstOrDefault(p => string.Equals(p.Key, setting.Name, StringComparison.OrdinalIgnoreCase)).Value;
            bool isSwitch = definition != null ? definition.Kind != "retention" : setting.Enabled.HasValue;
            bool hasEnabled = !(enabled == null || (enabled is string text && string.IsNullOrWhiteSpace(text)));
            bool hasValue = !string.IsNullOrWhiteSpace(value);
            string skip = null;
            if (!isSwitch && !hasValue && hasEnabled)
                skip = $"{setting.Name} is not a switch, so -Enabled does not apply to it; it stays {setting.Value}. Give -Value to change it.";
            else if (!isSwitch && hasValue && BooleanText.Parse(value) != null)
                skip = $"{setting.Name} is not a switch, so '{value}' does not apply to it; it stays {setting.Value}.";
            else if (isSwitch && !hasEnabled && hasValue && BooleanText.Parse(value) == null
                     && Enum.TryParse(value.Trim(), true, out VoiceRecordingRetention _))
                skip = $"{setting.Name} is a switch, so the retention period '{value}' does not apply to it; it stays {setting.Value}.";
            if (skip != null)
            {
                WriteWarning($"{session.Account}: {skip}");
                return null;
            }
            try
            {
                SetAlexaDataSettingCommand.Desired(session.Profile, setting.Name, enabled, value);
            }
            catch (AlexaException e)
            {
                Reject(setting, e, session.Account);
                return null;
            }
            return session;
        }

        /// <summary>True when an object read by <paramref name="own"/> (or of <paramref name="account"/>) belongs to the account of <paramref name="given"/>.</summary>
        internal static bool SameAccount(AlexaSession own, string account, AlexaSession given)
        {
            if (own != null)
            {
                return ReferenceEquals(own, given)
                    || (string.Equals(own.Account, given.Account, StringComparison.OrdinalIgnoreCase)
                        && string.Equals(own.Marketplace, given.Marketplace, StringComparison.OrdinalIgnoreCase)
                        && Equals(own.BaseUri, given.BaseUri));
            }
            return string.IsNullOrEmpty(account) || string.Equals(account, given.Account, StringComparison.OrdinalIgnoreCase);
        }

        internal static AlexaException SessionMismatch(string what, string ownAccount, string ownMarketplace, AlexaSession given) =>
            new AlexaException(AlexaErrorId.SessionMismatch, ErrorCategory.InvalidArgument,
                $"This {what} belongs to {ownAccount}{(ownMarketplace == null ? "" : " on " + ownMarketplace)}, but -Session is the session of {given.Account} on {given.Marketplace}; it was left alone.")
            { RecommendedAction = $"Pass the session of {ownAccount} with -Session, or leave -Session out: a piped {what} carries the session that read it." };

        protected override void EndProcessing() => Runner.Finish();

        /// <summary>Refuses a row whose Name, Enabled or Value cannot be read before anyone signs in for it.</summary>
        internal bool InputIsValid(string name, object enabled, string value)
        {
            if (RefusedUnboundRow()) return false;
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
            if (!UseSessionFile(this, request, SessionPath, false, Runner, target)) return null;
            if (!Runner.Admit(request, target, IsPlainText(password) || IsPlainText(TotpSecret))) return null;
            return new AccountInput { Request = request, Target = target };
        }

        /// <summary>
        /// Resolves a -SessionPath (or SessionPath column) into the request and fills what its file
        /// knows; false, with an error for that row, when the file cannot serve.
        /// </summary>
        internal static bool UseSessionFile(PSCmdlet cmdlet, ConnectRequest request, string sessionPath, bool interactive, AccountRunner runner, object target)
        {
            if (string.IsNullOrWhiteSpace(sessionPath)) return true;
            try
            {
                request.SessionPath = SessionFile.Resolve(cmdlet, sessionPath);
                // An interactive sign-in creates the file; otherwise a missing file needs a password.
                CompleteFromSessionFile(request, interactive);
                return true;
            }
            catch (AlexaException e)
            {
                runner.Reject(target, e.ForAccount(request.Email));
                return false;
            }
        }

        /// <summary>
        /// Fills what a saved session file knows (its account and marketplace) where the row does not
        /// say, refuses a file of another account, marketplace or site (AlexaSessionAccountMismatch) or
        /// one saved on a site that this command does not name, and refuses a file that is not there
        /// when there is no password to create it. The site always comes from the marketplace or the
        /// command's -BaseUri, never from the file.
        /// </summary>
        internal static void CompleteFromSessionFile(ConnectRequest request, bool interactive = false)
        {
            var saved = SessionFile.Load(request.SessionPath);
            if (saved != null)
            {
                if (string.IsNullOrWhiteSpace(request.Email) && saved.Recorded) request.Email = saved.Account;
                if (request.Marketplace == null && saved.Recorded) request.Marketplace = saved.Marketplace;
                string marketplace = Site.SiteProfile.NormalizeMarketplace(request.Marketplace ?? SessionOpener.DefaultMarketplace);
                SessionFile.EnsureBelongs(saved, request.SessionPath, request.Email, marketplace, request.Profile ?? Site.SiteProfile.Resolve(), request.BaseUri);
            }
            else if (request.Password == null && !interactive)
            {
                throw SessionFile.NotFound(request.SessionPath, string.IsNullOrWhiteSpace(request.Email) ? null : request.Email.Trim());
            }
            if (string.IsNullOrWhiteSpace(request.Email))
            {
                throw AlexaException.InvalidInput($"There is no saved session at '{request.SessionPath}' to say whose it is: give -Email (or an Email column) with it.");
            }
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
                work.Session = session; // for the watchdog, which closes what a stuck call works on
                work.OwnsSession = ephemeral;
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
                PhaseClock.Lap("other");
                if (ephemeral && session != null) await session.CloseAsync().ConfigureAwait(false);
                PhaseClock.Lap("close");
            }
        }
    }
}
