// Test-AlexaPrivacyPolicy: how each account differs from a privacy policy, read on one sign-in
// and one load of each page, without changing anything.
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using AlexaPrivacy.Execution;
using AlexaPrivacy.Pages;

namespace AlexaPrivacy.Commands
{
    [Cmdlet(VerbsDiagnostic.Test, "AlexaPrivacyPolicy", DefaultParameterSetName = SessionSet)]
    [OutputType(typeof(AlexaPolicyResult))]
    public sealed class TestAlexaPrivacyPolicyCommand : AlexaPolicyCmdlet
    {
        protected override string Activity => "Testing Alexa accounts against a privacy policy";

        protected override void ProcessRecord()
        {
            var policy = LoadedPolicy;
            Enqueue(work => TestAsync(work, policy));
        }

        private static async Task TestAsync(AccountWork work, AlexaPrivacyPolicy policy)
        {
            var result = NewResult(work, "Test");
            var differences = new List<AlexaPolicyDifference>();
            var (_, current) = await ReadSettingsAsync(work, policy, result);
            foreach (var desired in policy.Desired)
            {
                if (!desired.IsMet(current[desired.Name])) differences.Add(Difference(desired, current[desired.Name]));
            }
            if (policy.DeleteRecordingsOlderThan.HasValue)
            {
                var query = TooOld(policy, out var cutoff);
                var page = await VoiceHistoryPage.OpenAsync(work.Session, work.WriteVerbose, work.Cancel);
                int count = (await page.ReadAllAsync(query.StartMs, query.EndMs)).Count(query.Matches);
                result.Cutoff = cutoff;
                result.RecordingsOlderThanCutoff = count;
                if (count > 0) differences.Add(RecordingsDifference(policy, count));
            }
            result.Differences = differences.ToArray();
            result.Compliant = differences.Count == 0;
            work.WriteVerbose($"{work.Session.Account} is {(result.Compliant ? "compliant" : $"not compliant ({differences.Count} difference(s))")}.");
            work.WriteObject(result);
        }
    }
}
