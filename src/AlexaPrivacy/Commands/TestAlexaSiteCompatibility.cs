// Test-AlexaSiteCompatibility: signs in and visits the hub, the settings page and the voice history,
// and reports per page and per label of the site profile whether it was found (filter choices in
// their open filter controls), and whether a custom date range takes effect on the voice history,
// so that a change on Amazon's side is named (with a screenshot) before it breaks a script.
using System.Linq;
using System.Management.Automation;
using AlexaPrivacy.Pages;

namespace AlexaPrivacy.Commands
{
    [Cmdlet(VerbsDiagnostic.Test, "AlexaSiteCompatibility", DefaultParameterSetName = SessionSet)]
    [OutputType(typeof(AlexaSiteCheck))]
    public sealed class TestAlexaSiteCompatibilityCommand : AlexaAccountCmdlet
    {
        /// <summary>Writes only the labels that were not found.</summary>
        [Parameter]
        public SwitchParameter MissingOnly { get; set; }

        protected override string Activity => "Checking Amazon's pages against the site profile";

        protected override void ProcessRecord()
        {
            bool missingOnly = MissingOnly;
            Enqueue(async work =>
            {
                var results = await new SiteCompatibilityCheck(work.Session, work.WriteVerbose, work.Cancel).RunAsync();
                foreach (var result in results.Where(r => !missingOnly || !r.Found)) work.WriteObject(result);
                var labels = results.Where(r => r.Role != SiteCompatibilityCheck.StepRole).ToList();
                int missing = labels.Count(r => !r.Found);
                if (missing > 0)
                {
                    work.WriteWarning($"{missing} of {labels.Count} labels of the site profile were not found on Amazon's pages for {work.Session.Account}: "
                        + string.Join(", ", labels.Where(r => !r.Found).Select(r => $"{r.Page} '{r.Text}' ({r.Label})"))
                        + ". See the screenshots named in ScreenshotPath.");
                }
                foreach (var step in results.Where(r => r.Role == SiteCompatibilityCheck.StepRole && !r.Found))
                {
                    work.WriteWarning($"The {step.Page} page for {work.Session.Account} did not take the filter '{step.Text}' ({step.Label}): {step.Detail} See the screenshot named in ScreenshotPath.");
                }
            });
        }
    }
}
