// Get-AlexaSiteProfile: shows the site profile in force (the embedded one, or it overlaid by a
// file), so a user can see which labels the module looks for and start an override from it.
using System.Management.Automation;
using AlexaPrivacy.Site;

namespace AlexaPrivacy.Commands
{
    [Cmdlet(VerbsCommon.Get, "AlexaSiteProfile")]
    [OutputType(typeof(SiteProfile), typeof(string))]
    public sealed class GetAlexaSiteProfileCommand : PSCmdlet
    {
        /// <summary>An override file to show instead of the one in force ($env:ALEXAPRIVACY_SITE_PROFILE).</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        /// <summary>Writes the profile as JSON, the shape an override file takes.</summary>
        [Parameter]
        public SwitchParameter AsJson { get; set; }

        protected override void EndProcessing()
        {
            SiteProfile profile;
            try
            {
                profile = SiteProfile.Resolve(Path == null ? null : GetUnresolvedProviderPathFromPSPath(Path));
            }
            catch (AlexaException e)
            {
                ThrowTerminatingError(e.ToErrorRecord(Path ?? System.Environment.GetEnvironmentVariable(SiteProfile.EnvironmentVariable)));
                return;
            }
            if (AsJson) WriteObject(profile.ToJson());
            else WriteObject(profile);
        }
    }
}
