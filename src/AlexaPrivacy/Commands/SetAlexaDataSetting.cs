// Set-AlexaDataSetting: changes a setting through the page only where it differs, confirms
// Amazon's dialogs like a person, and verifies the stored value after a reload.
using System;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using AlexaPrivacy.Execution;
using AlexaPrivacy.Pages;
using AlexaPrivacy.Site;

namespace AlexaPrivacy.Commands
{
    [Cmdlet(VerbsCommon.Set, "AlexaDataSetting", DefaultParameterSetName = SessionSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(AlexaSettingChange))]
    public sealed class SetAlexaDataSettingCommand : AlexaAccountCmdlet, IAuditedCmdlet
    {
        internal const string SettingSet = "Setting";

        [Parameter(ParameterSetName = SessionSet, ValueFromPipeline = true)]
        [Parameter(ParameterSetName = SettingSet)]
        [ValidateNotNull]
        public override AlexaSession Session { get => base.Session; set => base.Session = value; }

        /// <summary>Settings from Get-AlexaDataSetting: each is changed in the account whose session read it.</summary>
        [Parameter(ParameterSetName = SettingSet, Mandatory = true, ValueFromPipeline = true)]
        [ValidateNotNull]
        public AlexaDataSetting[] InputObject { get; set; }

        // Name, Enabled and Value bind from a row's columns only in the Account set: PowerShell binds
        // the default (Session) set's columns first, so there an Enabled column would make a row with
        // an Email and a Password work on the current session instead of its own account.

        /// <summary>
        /// The settings to change, wildcards allowed (like Get-AlexaDataSetting); human review of voice
        /// recordings by default. A wildcard takes the settings that what is given applies to: the
        /// switches for -Enabled, the retention choice for a retention -Value.
        /// </summary>
        [Parameter(ParameterSetName = SessionSet, Position = 0)]
        [Parameter(ParameterSetName = AccountSet, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(SettingNameCompleter))]
        [Alias("Setting")]
        [SupportsWildcards]
        public string[] Name { get; set; } // null: VoiceRecordingReview (a default here would linger in BoundParameters from row to row)

        /// <summary>The wanted state of a switch: $true/$false, or true/false, yes/no, on/off, 1/0 from a CSV.</summary>
        [Parameter(ParameterSetName = SessionSet)]
        [Parameter(ParameterSetName = AccountSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = SettingSet)]
        [ArgumentCompleter(typeof(BooleanCompleter))]
        public object Enabled { get; set; }

        /// <summary>The wanted retention period for VoiceRecordingRetention (or On/Off for a switch).</summary>
        [Parameter(ParameterSetName = SessionSet)]
        [Parameter(ParameterSetName = AccountSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = SettingSet)]
        [ArgumentCompleter(typeof(SettingValueCompleter))]
        public string Value { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>Shortens the retention period without asking (Amazon then deletes the older recordings).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>A file that receives one JSON line per change and per failure; $env:ALEXAPRIVACY_AUDIT_LOG by default.</summary>
        [Parameter]
        public string AuditLogPath { get; set; }

        internal override bool WorksOnSettingsPage => true;

        protected override string Activity => "Changing Alexa data settings";

        protected override void ProcessRecord()
        {
            var wanted = WantedValue.Read(Enabled, Value); // -Enabled and -Value read once for the call's row
            bool passThru = PassThru;
            bool force = Force;
            if (ParameterSetName == SettingSet)
            {
                foreach (var setting in InputObject)
                {
                    var session = SessionForSetting(setting, wanted, out var request);
                    if (session != null) EnqueueFor(session, setting, work => ApplyAsync(work, request, passThru, force));
                }
                return;
            }
            var names = Expand(Name, wanted);
            if (names == null) return;
            var requests = SettingRequests(names, wanted);
            if (requests == null) return;
            Enqueue(async work =>
            {
                // Every setting of the row on one sign-in and one page, in the order given.
                foreach (var request in requests) await ApplyAsync(work, request, passThru, force);
            });
        }

        // The setting names of -Name with wildcards resolved against the site profile; null (with an error for the row) when a wildcard matches nothing.
        private string[] Expand(string[] requested, WantedValue wanted)
        {
            if (requested == null || requested.Length == 0) return new string[] { null };
            var profile = Profile();
            var names = new System.Collections.Generic.List<string>();
            foreach (string pattern in requested)
            {
                if (string.IsNullOrWhiteSpace(pattern) || !WildcardPattern.ContainsWildcardCharacters(pattern))
                {
                    names.Add(pattern);
                    continue;
                }
                var wildcard = WildcardPattern.Get(pattern.Trim(), WildcardOptions.IgnoreCase);
                var matches = profile.Settings
                    .Where(p => wildcard.IsMatch(p.Key))
                    .Where(p => SettingRequest.Applies(SettingRequest.KindOf(p.Value), wanted))
                    .Select(p => p.Key).ToList();
                if (matches.Count == 0)
                {
                    Reject(AlexaException.InvalidInput($"-Name '{pattern}' matches no setting that {(wanted.HasEnabled ? "-Enabled" : "-Value")} applies to. The settings are: {string.Join(", ", profile.Settings.Keys)}."));
                    return null;
                }
                names.AddRange(matches);
            }
            return names.Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        }

        private static async Task ApplyAsync(AccountWork work, SettingRequest desired, bool passThru, bool force)
        {
            var session = work.Session;
            var page = await DataSettingsPage.OpenAsync(session, work.WriteVerbose, work.Cancel);
            var current = await page.ReadAsync(desired.Name);
            var change = new SettingChange(work, page, "Set-AlexaDataSetting", force, sayGoneForGood: true);
            if (desired.IsMet(current.Value))
            {
                work.WriteVerbose($"{desired.Name} is already {desired.Value} for {session.Account}; nothing to change.");
                await work.ExplainNothingToDoAsync($"'{page.DisplayName(desired.Name)}' is already {desired.Value} for {session.Account}; nothing to change");
                if (passThru) work.WriteObject(change.Unchanged(desired, current.Value));
                return;
            }
            var made = await change.ApplyAsync(desired, current.Value);
            if (made != null && passThru) work.WriteObject(made);
        }
    }
}
