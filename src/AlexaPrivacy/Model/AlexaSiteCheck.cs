// Output of Test-AlexaSiteCompatibility: one label of the site profile looked for on one page.
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
        /// <summary>The kind of control looked for: heading, link, button, switch, radiogroup, radio or option.</summary>
        public string Role { get; set; }
        public bool Found { get; set; }
        /// <summary>The page's language (the ?language= the module asked for).</summary>
        public string Language { get; set; }
        public string Url { get; set; }
        /// <summary>A secret-free screenshot of the page, saved when a label of it was not found.</summary>
        public string ScreenshotPath { get; set; }
    }
}
