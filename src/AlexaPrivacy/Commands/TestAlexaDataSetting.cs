// Test-AlexaDataSetting: $true when a setting already holds the wanted value, for configuration scripts.
using System;
using System.Management.Automation;
using AlexaPrivacy.Pages;
using AlexaPrivacy.Site;

namespace AlexaPrivacy.Commands
{
    [Cmdlet(VerbsDiagnostic.Test, "AlexaDataSetting", DefaultParameterSetName = SessionSet)]
    [OutputType(typeof(bool))]
    public sealed class TestAlexaDataSettingCommand : AlexaAccountCmdlet
    {
        /// <summary>
        /// Any piped row, so that a row none of whose columns bind (no Email column) reaches the
        /// module's own check, with its secrets masked, instead of PowerShell's binding error whose
        /// target would be the raw row, password included.
        /// </summary>
        [Parameter(ParameterSetName = AccountSet, ValueFromPipeline = true, DontShow = true)]
        public PSObject InputRow { get; set; }

        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(SettingNameCompleter))]
        [Alias("Setting")]
        public string Name { get; set; } = AlexaSettingName.VoiceRecordingReview;

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public object Enabled { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(RetentionCompleter))]
        public string Value { get; set; }

        internal override bool WorksOnSettingsPage => true;

        protected override string Activity => "Testing Alexa data settings";

        protected override void ProcessRecord()
        {
            string name = Name;
            object enabled = Enabled;
            string value = Value;
            if (!InputIsValid(name, enabled, value)) return;
            Enqueue(async work =>
            {
                var desired = SetAlexaDataSettingCommand.Desired(work.Session, name, enabled, value);
                var page = await DataSettingsPage.OpenAsync(work.Session, work.WriteVerbose, work.Cancel);
                var current = await page.ReadAsync(desired.Name);
                bool matches = string.Equals(current.Value, desired.Value, StringComparison.OrdinalIgnoreCase);
                work.WriteVerbose($"{desired.Name} is {current.Value} for {work.Session.Account}; wanted {desired.Value}.");
                work.WriteObject(matches);
            });
        }
    }
}
