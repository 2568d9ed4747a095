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

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PasswordSet, ValueFromPipelineByPropertyName = true)]
        [Alias("UserName", "Account", "EmailAddress")]
        [ValidateNotNullOrEmpty]
        public string Email { get; set; }

        [Parameter(ParameterSetName = PasswordSet, ValueFromPipelineByPropertyName = true)]
        [SecretTransformation]
        [AllowNull]
        public SecureString Password { get; set; }

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = CredentialSet, ValueFromPipelineByPropertyName = true)]
        [Credential]
        public PSCredential Credential { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [SecretTransformation]
        [AllowNull]
        public SecureString TotpSecret { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(MarketplaceCompleter))]
        [AllowEmptyString]
        public string Marketplace { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        public string SessionPath { get; set; }

        [Parameter]
        public Uri BaseUri { get; set; }

        [Parameter]
        public string BrowserPath { get; set; }

        /// <summary>Signs in through a visible browser window where a person completes every step; the session then continues headless.</summary>
        [Parameter]
        public SwitchParameter Interactive { get; set; }

        /// <summary>A site profile file laid over the embedded one; the session keeps it for every page it opens.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string SiteProfile { get; set; }

        private bool _plainText;
        private Site.SiteProfile _profile;

        protected override void ProcessRecord()
        {
            if (_profile == null)
            {
                // A malformed profile fails every account alike: stop before any sign-in.
                try { _profile = Site.SiteProfile.Resolve(SiteProfile == null ? null : GetUnresolvedProviderPathFromPSPath(SiteProfile)); }
                catch (AlexaException e) { ThrowTerminatingError(e.ToErrorRecord(SiteProfile)); }
            }
            string email = ParameterSetName == CredentialSet ? Credential.UserName : Email;
            var password = ParameterSetName == CredentialSet ? Credential.Password : Password;
            var request = new ConnectRequest
            {
                Email = email,
                Password = password,
                TotpSecret = TotpSecret,
                Marketplace = string.IsNullOrWhiteSpace(Marketplace) ? null : Marketplace,
                SessionPath = string.IsNullOrWhiteSpace(SessionPath) ? null : SessionPath,
                BaseUri = BaseUri,
                BrowserPath = BrowserPath,
                Profile = _profile,
            };
            object target = DescribeInput();
            _plainText |= AlexaAccountCmdlet.IsPlainText(password) || AlexaAccountCmdlet.IsPlainText(TotpSecret);
            try
            {
                var session = Interactive
                    ? RunOnPipeline(cancel => SessionOpener.OpenInteractiveAsync(request, VerboseFromAnyThread, cancel))
                    : RunOnPipeline(cancel => SessionOpener.OpenAsync(request, VerboseFromAnyThread, cancel));
                SessionRegistry.SetCurrent(session);
                WriteVerbose(session.Reused
                    ? $"Signed in {session.Account} with the saved session '{session.SessionPath}'."
                    : $"Signed in {session.Account} on {session.BaseUri}.");
                WriteObject(session);
            }
            catch (Exception e) when (!(e is PipelineStoppedException))
            {
                var error = Translate(e, email);
                if (error == null) throw;
                WriteError(error.ToErrorRecord(target));
            }
        }

        protected override void EndProcessing()
        {
            if (_plainText)
            {
                WriteWarning("Passwords were read as plain text (for example from a CSV column). Prefer a saved session (-SessionPath) or a PSCredential.");
            }
        }
    }
}
