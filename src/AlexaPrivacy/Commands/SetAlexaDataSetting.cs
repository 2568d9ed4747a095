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
            string[] requested = Name;
            object enabled = Enabled;
            string value = Value;
            bool passThru = PassThru;
            bool force = Force;
            if (ParameterSetName == SettingSet)
            {
                foreach (var setting in InputObject)
                {
                    var session = SessionForSetting(setting, enabled, value);
                    if (session != null) EnqueueFor(session, setting, work => ApplyAsync(work, setting.Name, enabled, value, passThru, force));
                }
                return;
            }
            var names = Expand(requested, enabled, value);
            if (names == null) return;
            foreach (string one in names)
            {
                if (!InputIsValid(one, enabled, value)) return; // one error for the row, naming the first name that cannot be done
            }
            Enqueue(async work =>
            {
                // Every setting of the row on one sign-in and one page, in the order given.
                foreach (string one in names) await ApplyAsync(work, one, enabled, value, passThru, force);
            });
        }

        // The setting names of -Name with wildcards resolved against the site profile; null (with an error for the row) when a wildcard matches nothing.
        private string[] Expand(string[] requested, object enabled, string value)
        {
            if (requested == null || requested.Length == 0) return new string[] { null };
            var profile = Profile();
            bool hasEnabled = !(enabled == null || (enabled is string text && string.IsNullOrWhiteSpace(text)));
            bool retentionValue = !string.IsNullOrWhiteSpace(value) && BooleanText.Parse(value) == null;
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
                    .Where(p => p.Value.Kind == "retention" ? retentionValue || !hasEnabled : !retentionValue)
                    .Select(p => p.Key).ToList();
                if (matches.Count == 0)
                {
                    Reject(AlexaException.InvalidInput($"-Name '{pattern}' matches no setting that {(hasEnabled ? "-Enabled" : "-Value")} applies to. The settings are: {string.Join(", ", profile.Settings.Keys)}."));
                    return null;
                }
                names.AddRange(matches);
            }
            return names.Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        }

        internal static DesiredSetting Desired(AlexaSession session, string name, object enabled, string value) =>
            Desired(session.Profile, name, enabled, value);

        internal static DesiredSetting Desired(SiteProfile profile, string name, object enabled, string value)
        {
            string canonical = GetAlexaDataSettingCommand.Canonical(profile, string.IsNullOrWhiteSpace(name) ? AlexaSettingName.VoiceRecordingReview : name);
            var definition = profile.Settings[canonical];
            if (definition.Kind == "retention")
            {
                if (string.IsNullOrWhiteSpace(value))
                    throw AlexaException.InvalidInput($"{canonical} needs -Value (one of {string.Join(", ", Enum.GetNames(typeof(VoiceRecordingRetention)))}).");
                if (!Enum.TryParse(value.Trim(), true, out VoiceRecordingRetention period) || !Enum.IsDefined(typeof(VoiceRecordingRetention), period))
                    throw AlexaException.InvalidInput($"'{value}' is not a retention period. Use one of: {string.Join(", ", Enum.GetNames(typeof(VoiceRecordingRetention)))}.");
                return new DesiredSetting { Name = canonical, Retention = period, Value = period.ToString() };
            }
            if ((enabled == null || (enabled is string s && string.IsNullOrWhiteSpace(s))) && BooleanText.Parse(value) is bool fromValue)
                enabled = fromValue; // -Value On/Off for a switch, as Get-AlexaDataSetting shows it
            if (enabled == null || (enabled is string s2 && string.IsNullOrWhiteSpace(s2)))
                throw AlexaException.InvalidInput($"{canonical} is a switch and needs -Enabled ($true or $false).");
            bool? parsed = BooleanText.Parse(enabled);
            if (parsed == null)
                throw AlexaException.InvalidInput($"Enabled value '{enabled}' is not a boolean: use true/false, yes/no, on/off or 1/0.");
            return new DesiredSetting { Name = canonical, Enabled = parsed.Value, Value = parsed.Value ? "On" : "Off" };
        }

        private static async Task ApplyAsync(AccountWork work, string name, object enabled, string value, bool passThru, bool force)
        {
            var session = work.Session;
            var desired = Desired(session, name, enabled, value);
            var page = await DataSettingsPage.OpenAsync(session, work.WriteVerbose, work.Cancel);
            var current = await page.ReadAsync(desired.Name);
            var change = new AlexaSettingChange
            {
                Account = session.Account,
                Marketplace = session.Marketplace,
                Setting = desired.Name,
                OldValue = current.Value,
                NewValue = current.Value,
                Time = DateTimeOffset.Now,
            };
            if (string.Equals(current.Value, desired.Value, StringComparison.OrdinalIgnoreCase))
            {
                work.WriteVerbose($"{desired.Name} is already {desired.Value} for {session.Account}; nothing to change.");
                await work.ExplainNothingToDoAsync($"'{page.DisplayName(desired.Name)}' is already {desired.Value} for {session.Account}; nothing to change");
                if (passThru) work.WriteObject(change);
                return;
            }

            string label = page.DisplayName(desired.Name);
            string action;
            bool deletes = false;
            VoiceRecordingRetention old = default;
            if (desired.Retention.HasValue)
            {
                old = (VoiceRecordingRetention)Enum.Parse(typeof(VoiceRecordingRetention), current.Value);
                action = $"Change '{label}' from {current.Value} to {desired.Value} for {session.Account}";
                deletes = desired.Retention.Value < old;
                if (deletes) action += "; Amazon deletes the recordings older than the new period";
            }
            else
            {
                action = $"Turn {(desired.Enabled.Value ? "on" : "off")} '{label}' for {session.Account}";
            }
            // A shorter retention deletes recordings for good: it asks by default, as ConfirmImpact High
            // would (-Force or -Confirm:$false do it without asking); everything else is Medium.
            bool proceed = await work.ConfirmAsync(action, action + (deletes ? "? Deleted recordings are gone for good." : "?"), "Set-AlexaDataSetting", deletes, force);
            if (!proceed) return;

            var sent = work.AuditBeforeSending(AuditEntries.Sending(session.Account, session.Marketplace, desired.Name, current.Value, desired.Value));
            if (desired.Retention.HasValue)
            {
                await page.SetRetentionAsync(desired.Retention.Value, old);
            }
            else
            {
                await page.SetSwitchAsync(desired.Name, desired.Enabled.Value);
            }
            change.NewValue = desired.Value;
            change.Changed = true;
            change.Time = DateTimeOffset.Now;
            work.Audit(AuditEntries.Change(change, sent));
            if (passThru) work.WriteObject(change);
        }
    }

    internal sealed class DesiredSetting
    {
        public string Name { get; set; }
        public bool? Enabled { get; set; }
        public VoiceRecordingRetention? Retention { get; set; }
        public string Value { get; set; }
    }
}
