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
        private const string SettingSet = SetAlexaDataSettingCommand.SettingSet;

        [Parameter(ParameterSetName = SessionSet, ValueFromPipeline = true)]
        [Parameter(ParameterSetName = SettingSet)]
        [ValidateNotNull]
        public override AlexaSession Session { get => base.Session; set => base.Session = value; }

        /// <summary>Settings from Get-AlexaDataSetting: each is tested in the account whose session read it.</summary>
        [Parameter(ParameterSetName = SettingSet, Mandatory = true, ValueFromPipeline = true)]
        [ValidateNotNull]
        public AlexaDataSetting[] InputObject { get; set; }

        // Columns bind only in the Account set, as in Set-AlexaDataSetting (a row with an Email is its own account).
        [Parameter(ParameterSetName = SessionSet, Position = 0)]
        [Parameter(ParameterSetName = AccountSet, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(SettingNameCompleter))]
        [Alias("Setting")]
        public string Name { get; set; } // null: VoiceRecordingReview (a default here would linger in BoundParameters from row to row)

        [Parameter(ParameterSetName = SessionSet)]
        [Parameter(ParameterSetName = AccountSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = SettingSet)]
        [ArgumentCompleter(typeof(BooleanCompleter))]
        public object Enabled { get; set; }

        [Parameter(ParameterSetName = SessionSet)]
        [Parameter(ParameterSetName = AccountSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = SettingSet)]
        [ArgumentCompleter(typeof(SettingValueCompleter))]
        public string Value { get; set; }

        internal override bool WorksOnSettingsPage => true;

        protected override string Activity => "Testing Alexa data settings";

        protected override void ProcessRecord()
        {
            var wanted = WantedValue.Read(Enabled, Value); // -Enabled and -Value read once for the call's row
            if (ParameterSetName == SettingSet)
            {
                foreach (var setting in InputObject)
                {
                    var session = SessionForSetting(setting, wanted, out var request);
                    if (session == null) continue;
                    EnqueueFor(session, setting, work => TestAsync(work, request));
                }
                return;
            }
            var requests = SettingRequests(new[] { Name }, wanted);
            if (requests == null) return;
            Enqueue(work => TestAsync(work, requests[0]));
        }

        private static async System.Threading.Tasks.Task TestAsync(Execution.AccountWork work, SettingRequest desired)
        {
            var page = await DataSettingsPage.OpenAsync(work.Session, work.WriteVerbose, work.Cancel);
            var current = await page.ReadAsync(desired.Name);
            bool matches = desired.IsMet(current.Value);
            work.WriteVerbose($"{desired.Name} is {current.Value} for {work.Session.Account}; wanted {desired.Value}.");
            work.WriteObject(matches);
        }
    }
}
