// The base of the policy cmdlets: -Policy (a .psd1 path or a hashtable), read and checked once
// before any sign-in, and the reading of one account against it.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using AlexaPrivacy.Diagnostics;
using AlexaPrivacy.Execution;
using AlexaPrivacy.Pages;
using AlexaPrivacy.Site;

namespace AlexaPrivacy.Commands
{
    public abstract class AlexaPolicyCmdlet : AlexaAccountCmdlet
    {
        /// <summary>The wanted state: a .psd1 file or a hashtable of setting names (and DeleteRecordingsOlderThan) to values.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ArgumentCompleter(typeof(PolicyFileCompleter))]
        [ValidateNotNull]
        public object Policy { get; set; }

        internal AlexaPrivacyPolicy LoadedPolicy { get; private set; }

        internal override bool WorksOnSettingsPage => true;

        protected override void BeginProcessing()
        {
            try
            {
                LoadedPolicy = AlexaPrivacyPolicy.Load(Policy, Profile(), path => GetUnresolvedProviderPathFromPSPath(path));
            }
            catch (AlexaException e)
            {
                ThrowTerminatingError(e.ToErrorRecord(Policy));
            }
            WriteVerbose($"Policy from {LoadedPolicy.Source}: {LoadedPolicy}.");
            base.BeginProcessing();
        }

        /// <summary>Reads every setting the policy names on one load of "Manage Your Alexa Data"; returns the page for changes.</summary>
        internal static async Task<(DataSettingsPage Page, Dictionary<string, string> Current)> ReadSettingsAsync(AccountWork work, AlexaPrivacyPolicy policy, AlexaPolicyResult result)
        {
            var current = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (policy.Desired.Count == 0) return (null, current);
            var page = await DataSettingsPage.OpenAsync(work.Session, work.WriteVerbose, work.Cancel);
            PhaseClock.Lap("first page");
            foreach (var desired in policy.Desired)
            {
                var setting = await page.ReadAsync(desired.Name);
                current[desired.Name] = setting.Value;
                result.Settings[desired.Name] = setting.Value;
            }
            PhaseClock.Lap("read");
            return (page, current);
        }

        /// <summary>The instant before which recordings are too old, and the query for them.</summary>
        internal static VoiceHistoryQuery TooOld(AlexaPrivacyPolicy policy, out DateTimeOffset cutoff)
        {
            cutoff = DateTimeOffset.Now - policy.DeleteRecordingsOlderThan.Value;
            return new VoiceHistoryQuery { Before = cutoff };
        }

        internal static AlexaPolicyDifference Difference(SettingRequest desired, string actual) =>
            new AlexaPolicyDifference { Setting = desired.Name, Wanted = desired.Value, Actual = actual };

        internal static AlexaPolicyDifference RecordingsDifference(AlexaPrivacyPolicy policy, int count) =>
            new AlexaPolicyDifference
            {
                Setting = AlexaPrivacyPolicy.DeleteRecordingsOlderThanKey,
                Wanted = policy.DeleteRecordingsOlderThan.Value.ToString(),
                Actual = $"{count} older",
                Recordings = count,
            };

        internal static AlexaPolicyResult NewResult(AccountWork work, string mode) => new AlexaPolicyResult
        {
            Account = work.Session.Account,
            Marketplace = work.Session.Marketplace,
            Mode = mode,
            Time = DateTimeOffset.Now,
        };
    }
}
