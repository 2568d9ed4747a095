// Connect-AlexaAccount: signs in (or reuses a saved sign-in) and makes the session current.
using System;
using System.Management.Automation;
using System.Security;
using AlexaPrivacy.Execution;

namespace AlexaPrivacy.Commands
{
    [Cmdlet(VerbsCommunications.Connect, "AlexaAccount", DefaultParameterSetName = PasswordSet)]
    [OutputType(typeof(AlexaSession))]
    public sealed class ConnectAlexaAccountCommand : AlexaCmdlet
    {
        private const string PasswordSet = "Password";
        private const string CredentialSet = "Credential";

        /// <summary>The account's email address; not needed with a -SessionPath that was saved before (the file knows it).</summary>
        [Parameter(Position = 0, ParameterSetName = PasswordSet, ValueFromPipelineByPropertyName = true)]
        [Alias("UserName", "Account", "EmailAddress")]
        [ArgumentCompleter(typeof(AccountCompleter))]
        [AllowEmptyString]
        public string Email { get; set; }

        [Parameter(ParameterSetName = PasswordSet, ValueFromPipelineByPropertyName = true)]
        [SecretTransformation]
        [AllowNull]
        public SecureString Password { get; set; }

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = CredentialSet, ValueFromPipelineByPropertyName = true)]
        [CredentialTransformation]
        public PSCredential Credential { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [SecretTransformation]
        [AllowNull]
        public SecureString TotpSecret { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(MarketplaceCompleter))]
        [AllowEmptyString]
        public string Marketplace { get; set; }

        /// <summary>A file that keeps the sign-in; alone it is enough once saved, since it knows its account.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(SessionPathCompleter))]
        public string SessionPath { get; set; }

        [Parameter]
        public Uri BaseUri { get; set; }

        [Parameter]
        public string BrowserPath { get; set; }

        /// <summary>Hidden: a piped row that binds nothing else, refused with the module's own error (see <see cref="AlexaPipedRow"/>).</summary>
        [Parameter(ValueFromPipeline = true, DontShow = true)]
        public AlexaPipedRow InputRow { get; set; }

        /// <summary>Signs in through a visible browser window where a person completes every step; the session then continues headless.</summary>
        [Parameter]
        public SwitchParameter Interactive { get; set; }

        /// <summary>A site profile file laid over the embedded one; the session keeps it for every page it opens.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string SiteProfile { get; set; }

        /// <summary>How many accounts of the pipeline are signed in at once.</summary>
        [Parameter]
        [ValidateRange(1, 32)]
        public int ThrottleLimit { get; set; } = 4;

        private AccountRunner _runner;
        private Site.SiteProfile _profile;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            _runner = new AccountRunner(this, "Signing in to Alexa accounts") { ThrottleLimit = ThrottleLimit };
        }

        protected override void ProcessRecord()
        {
            if (_profile == null)
            {
                // A malformed profile fails every account alike: stop before any sign-in.
                try { _profile = Site.SiteProfile.Resolve(SiteProfile == null ? null : GetUnresolvedProviderPathFromPSPath(SiteProfile)); }
                catch (AlexaException e) { ThrowTerminatingError(e.ToErrorRecord(SiteProfile)); }
                if (_profile.IsOverride) WriteWarning(_profile.OverrideWarning);
            }
            var unbound = UnboundRow(InputRow, "Give each row an Email (or UserName, Account or Credential) column, with Password, TotpSecret, Marketplace or SessionPath as needed.");
            if (unbound != null)
            {
                _runner.Reject(InputRow, unbound);
                return;
            }
            var refused = SecretTransformationAttribute.Refusal(Password, TotpSecret, Credential);
            if (refused != null)
            {
                _runner.Reject(DescribeInput(), string.IsNullOrWhiteSpace(Email) ? refused : refused.ForAccount(Email.Trim()));
                return;
            }
            string email = ParameterSetName == CredentialSet ? Credential.UserName : Email;
            var password = ParameterSetName == CredentialSet ? Credential.Password : Password;
            object target = DescribeInput();
            var request = new ConnectRequest
            {
                Email = email,
                Password = password,
                TotpSecret = TotpSecret,
                Marketplace = string.IsNullOrWhiteSpace(Marketplace) ? null : Marketplace,
                BaseUri = BaseUri,
                BrowserPath = BrowserPath,
                Profile = _profile,
            };
            if (!SessionFile.Use(this, request, SessionPath, Interactive, _runner, target)) return;
            bool plainText = PlainTextSecrets.Has(password) || PlainTextSecrets.Has(TotpSecret);
            if (!_runner.Admit(request, target, plainText)) return;
            bool interactive = Interactive;
            var input = new AccountInput { Request = request, Target = target, Interactive = interactive };
            _runner.Add(input, async work =>
            {
                var session = interactive
                    ? await SessionOpener.OpenInteractiveAsync(request, work.WriteVerbose, work.Cancel).ConfigureAwait(false)
                    : await SessionOpener.OpenAsync(request, work.WriteVerbose, work.Cancel).ConfigureAwait(false);
                // The session keeps its cookies; its page waits on about:blank for the next command (one per process).
                await SessionOpener.ReleasePageAsync(session).ConfigureAwait(false);
                work.Post(() =>
                {
                    // The current session belongs to the caller's runspace, known only on the pipeline thread.
                    SessionRegistry.SetCurrent(session);
                    WriteVerbose(session.Reused
                        ? $"Signed in {session.Account} with the saved session '{session.SessionPath}'."
                        : $"Signed in {session.Account} on {session.BaseUri}.");
                    WriteObject(session);
                });
            });
        }

        protected override void EndProcessing() => _runner.Finish();
    }
}
