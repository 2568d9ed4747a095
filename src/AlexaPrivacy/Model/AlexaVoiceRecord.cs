// Output types of the voice-history cmdlets: one recording as Amazon lists it, and what a deletion did.
using System;

namespace AlexaPrivacy
{
    public sealed class AlexaVoiceRecord
    {
        public string Account { get; set; }
        /// <summary>When the device heard it, in this computer's time zone.</summary>
        public DateTimeOffset Time { get; set; }
        public string Device { get; set; }
        /// <summary>What was said, or Amazon's placeholder such as "Audio was not intended for Alexa".</summary>
        public string Transcript { get; set; }
        /// <summary>What Alexa answered; empty when it did not answer.</summary>
        public string Response { get; set; }
        /// <summary>CUSTOMER_TRANSCRIPT for words Amazon transcribed, ASR_REPLACEMENT_TEXT for a placeholder.</summary>
        public string Type { get; set; }
        /// <summary>Amazon's key of the record: customer#timestampMs#deviceType#deviceSerial.</summary>
        public string Key { get; set; }

        /// <summary>The session that read this record, so that a piped record can be deleted through the same account.</summary>
        internal AlexaSession Session { get; set; }

        internal long TimestampMs { get; set; }

        public override string ToString() => $"{TimeText.Format(Time)} {Device}: {Transcript}";
    }

    /// <summary>What Export-AlexaVoiceHistory wrote.</summary>
    public sealed class AlexaVoiceHistoryExport
    {
        /// <summary>The full path of the file written.</summary>
        public string Path { get; set; }
        /// <summary>"Csv" or "Json", chosen by the file's extension.</summary>
        public string Format { get; set; }
        /// <summary>How many records the file holds.</summary>
        public int Records { get; set; }
        /// <summary>The accounts whose records were written.</summary>
        public string[] Accounts { get; set; } = new string[0];

        public override string ToString() => Path;
    }

    public sealed class AlexaVoiceDeletion
    {
        public string Account { get; set; }
        /// <summary>How many records were to be deleted.</summary>
        public int Requested { get; set; }
        /// <summary>How many of them are gone after a re-read.</summary>
        public int Deleted { get; set; }
        /// <summary>"Filter" when the page's filters and "Delete all of my recordings" were used, "PerRecord" for each record's own button.</summary>
        public string Method { get; set; }
        public DateTimeOffset? After { get; set; }
        public DateTimeOffset? Before { get; set; }
        public string Device { get; set; }
        /// <summary>Where the records were exported before they were deleted.</summary>
        public string BackupPath { get; set; }
        /// <summary>Keys of requested records that are still there (empty on success).</summary>
        public string[] Remaining { get; set; } = new string[0];
    }
}
