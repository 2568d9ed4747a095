// Get-AlexaSession: the open sessions of this PowerShell runspace, the current one marked (IsCurrent).
using System;
using System.Linq;
using System.Management.Automation;
using AlexaPrivacy.Execution;

namespace AlexaPrivacy.Commands
{
    [Cmdlet(VerbsCommon.Get, "AlexaSession", DefaultParameterSetName = AccountSet)]
    [OutputType(typeof(AlexaSession))]
    public sealed class GetAlexaSessionCommand : PSCmdlet
    {
        private const string AccountSet = "Account";
        private const string CurrentSet = "Current";

        /// <summary>Only the sessions of these accounts (wildcards allowed).</summary>
        [Parameter(ParameterSetName = AccountSet, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Email")]
        [ArgumentCompleter(typeof(AccountCompleter))]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] Account { get; set; }

        /// <summary>Only the current session (the one data cmdlets use without -Session).</summary>
        [Parameter(ParameterSetName = CurrentSet, Mandatory = true)]
        public SwitchParameter Current { get; set; }

        protected override void ProcessRecord()
        {
            if (Current)
            {
                var current = SessionRegistry.GetCurrent();
                if (current != null) WriteObject(current);
                return;
            }
            var sessions = SessionRegistry.All();
            if (Account == null)
            {
                WriteObject(sessions, true);
                return;
            }
            foreach (string name in Account)
            {
                var pattern = WildcardPattern.Get(name.Trim(), WildcardOptions.IgnoreCase);
                var found = sessions.Where(s => pattern.IsMatch(s.Account)).ToList();
                if (found.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
                {
                    var error = new AlexaException(AlexaErrorId.NoSession, ErrorCategory.ObjectNotFound,
                        $"There is no open Alexa session of {name.Trim()} in this PowerShell session.")
                    { RecommendedAction = "Run Connect-AlexaAccount for it, or Get-AlexaSession to see the open sessions." };
                    WriteError(error.ToErrorRecord(name));
                    continue;
                }
                WriteObject(found, true);
            }
        }
    }
}
