// Output types of the settings cmdlets: what a setting holds, and what a change did.
using System;

namespace AlexaPrivacy
{
    public sealed class AlexaDataSetting
    {
        public string Account { get; set; }
        public string Marketplace { get; set; }
        /// <summary>Stable name: VoiceRecordingReview, MessageTranscription, DeletionByVoice, VoiceRecordingRetention.</summary>
        public string Name { get; set; }
        /// <summary>The label the page shows for this setting.</summary>
        public string DisplayName { get; set; }
        /// <summary>"On"/"Off" for a switch; the retention period name for VoiceRecordingRetention.</summary>
        public string Value { get; set; }
        /// <summary>The switch state; null for the retention choice.</summary>
        public bool? Enabled { get; set; }
        /// <summary>"2025" or "2019": the generation of the page that was read.</summary>
        public string PageGeneration { get; set; }

        /// <summary>The session that read this setting, so that a piped setting is changed in the same account.</summary>
        internal AlexaSession Session { get; set; }
    }

    public sealed class AlexaSettingChange
    {
        public string Account { get; set; }
        public string Marketplace { get; set; }
        public string Setting { get; set; }
        public string OldValue { get; set; }
        public string NewValue { get; set; }
        public bool Changed { get; set; }
        public DateTimeOffset Time { get; set; }
    }

    /// <summary>How long Amazon keeps voice recordings, shortest first.</summary>
    public enum VoiceRecordingRetention
    {
        DontSave,
        ThreeMonths,
        EighteenMonths,
        UntilDeleted,
    }

    public static class AlexaSettingName
    {
        public const string VoiceRecordingReview = "VoiceRecordingReview";
        public const string MessageTranscription = "MessageTranscription";
        public const string DeletionByVoice = "DeletionByVoice";
        public const string VoiceRecordingRetention = "VoiceRecordingRetention";
    }
}
