// What a pipeline row or the parameters say about the account to work on.
using System;
using System.Management.Automation;
using System.Security;

namespace AlexaPrivacy.Execution
{
    internal sealed class AccountInput
    {
        public AlexaSession Session { get; set; }
        public string Email { get; set; }
        public SecureString Password { get; set; }
        public SecureString TotpSecret { get; set; }
        public string Marketplace { get; set; }
        public string SessionPath { get; set; }
        public Uri BaseUri { get; set; }

        /// <summary>The object the user gave (a CSV row, a session, or the parameters), used as the error target.</summary>
        public object Target { get; set; }

        /// <summary>A short, secret-free name for messages: the email, or the session's account.</summary>
        public string Label => Session?.Account ?? Email ?? "(current session)";
    }
}
