// Output of Test-AlexaSiteCompatibility: one label of the site profile looked for on one page, or one
// step done on it as a person would (the custom date range of the voice history).
namespace AlexaPrivacy
{
    public sealed class AlexaSiteCheck
    {
        public string Account { get; set; }
        public string Marketplace { get; set; }
        /// <summary>"Hub", "Settings" or "VoiceHistory".</summary>
        public string Page { get; set; }
        /// <summary>"2025" or "2019" on the settings page; empty elsewhere.</summary>
        public string PageGeneration { get; set; }
        /// <summary>Where the label sits in the site profile, such as "generations.2025.VoiceRecordingReview".</summary>
        public string Label { get; set; }
        /// <summary>The visible text the profile expects.</summary>
        public string Text { get; set; }
        /// <summary>
        /// The kind of control looked for: heading, link, button, switch, radiogroup, radio, option or textbox;
        /// "data request" for the step that applies a custom date range and checks the page's own request.
        /// </summary>
        public string Role { get; set; }
        /// <summary>True when the control was found (for the range step: the page's data request asked for that range).</summary>
        public bool Found { get; set; }
        /// <summary>Where the control was found (in a select, in the popup of a filter control), or what a step saw.</summary>
        public string Detail { get; set; }
        /// <summary>The page's language (the ?language= the module asked for).</summary>
        public string Language { get; set; }
        public string Url { get; set; }
        /// <summary>A secret-free screenshot of the page, saved when a label of it was not found.</summary>
        public string ScreenshotPath { get; set; }
    }
}
