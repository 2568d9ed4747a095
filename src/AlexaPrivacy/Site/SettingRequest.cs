// The wanted value of one data setting, read once against the site profile: every rule about a
// setting's kind (a switch or the retention choice) and about -Enabled and -Value lives here.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;

namespace AlexaPrivacy.Site
{
    /// <summary>The kinds of setting on "Manage Your Alexa Data" (the site profile's "kind").</summary>
    internal enum SettingKind
    {
        Switch,
        Retention,
    }

    /// <summary>-Enabled and -Value of one call (or one row), each read once.</summary>
    internal sealed class WantedValue
    {
        private WantedValue() { }

        /// <summary>-Enabled as given, for messages.</summary>
        public object RawEnabled { get; private set; }

        /// <summary>True when -Enabled holds something (not null, not blank text).</summary>
        public bool HasEnabled { get; private set; }

        /// <summary>-Enabled as a boolean; null when it is not one (or not given).</summary>
        public bool? Enabled { get; private set; }

        /// <summary>-Value as given.</summary>
        public string Value { get; private set; }

        /// <summary>True when -Value holds something other than blank text.</summary>
        public bool HasValue { get; private set; }

        /// <summary>-Value as a switch state (On/Off, true/false and so on); null when it is not one.</summary>
        public bool? ValueAsSwitch { get; private set; }

        /// <summary>-Value as a retention period the module knows; null when it is not one.</summary>
        public VoiceRecordingRetention? ValueAsRetention { get; private set; }

        /// <summary>True when -Value reads as a retention period name or number at all (known or not).</summary>
        public bool ValueNamesRetention { get; private set; }

        /// <summary>True when -Value is given and is not a switch state: it can only be meant for the retention choice.</summary>
        public bool ValueIsForRetention => HasValue && ValueAsSwitch == null;

        public static WantedValue Read(object enabled, string value)
        {
            var wanted = new WantedValue
            {
                RawEnabled = enabled,
                HasEnabled = !(enabled == null || (enabled is string text && string.IsNullOrWhiteSpace(text))),
                Value = value,
                HasValue = !string.IsNullOrWhiteSpace(value),
            };
            if (wanted.HasEnabled) wanted.Enabled = BooleanText.Parse(enabled);
            if (value != null)
            {
                wanted.ValueAsSwitch = BooleanText.Parse(value);
                wanted.ValueNamesRetention = Enum.TryParse(value.Trim(), true, out VoiceRecordingRetention period);
                if (wanted.ValueNamesRetention && Enum.IsDefined(typeof(VoiceRecordingRetention), period)) wanted.ValueAsRetention = period;
            }
            return wanted;
        }

        /// <summary>A policy's value for a setting of <paramref name="kind"/>: $true/$false or text.</summary>
        public static WantedValue FromPolicy(object value, SettingKind kind)
        {
            string text = value is bool b ? (b ? "On" : "Off") : Convert.ToString(value, CultureInfo.InvariantCulture);
            return kind == SettingKind.Retention ? Read(null, text) : Read(text, null);
        }
    }

    internal sealed class SettingRequest
    {
        private SettingRequest() { }

        /// <summary>The setting's name as the site profile spells it.</summary>
        public string Name { get; private set; }

        public SettingKind Kind { get; private set; }

        /// <summary>The wanted state of a switch; null for the retention choice.</summary>
        public bool? Enabled { get; private set; }

        /// <summary>The wanted retention period; null for a switch.</summary>
        public VoiceRecordingRetention? Retention { get; private set; }

        /// <summary>The wanted value as Get-AlexaDataSetting shows it: "On"/"Off" or the period's name.</summary>
        public string Value { get; private set; }

        /// <summary>True when a setting that holds <paramref name="current"/> already has the wanted value.</summary>
        public bool IsMet(string current) => string.Equals(current, Value, StringComparison.OrdinalIgnoreCase);

        public static SettingKind KindOf(SettingDefinition definition) =>
            string.Equals(definition?.Kind, "retention", StringComparison.OrdinalIgnoreCase) ? SettingKind.Retention : SettingKind.Switch;

        /// <summary>The kind of the setting <paramref name="name"/> (any case), or null when the profile has no such setting.</summary>
        public static SettingKind? KindOf(SiteProfile profile, string name)
        {
            var definition = profile.Settings.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
            return definition == null ? (SettingKind?)null : KindOf(definition);
        }

        /// <summary>The profile's spelling of a setting name given in any case; an InvalidInput error for a name it does not have.</summary>
        public static string Canonical(SiteProfile profile, string name)
        {
            var match = profile.Settings.Keys.FirstOrDefault(k => string.Equals(k, name?.Trim(), StringComparison.OrdinalIgnoreCase));
            if (match == null)
            {
                throw AlexaException.InvalidInput($"'{name}' is not a setting. Use one of: {string.Join(", ", profile.Settings.Keys)}.");
            }
            return match;
        }

        /// <summary>
        /// The wanted value of setting <paramref name="name"/> (human review of voice recordings when
        /// not given), or an InvalidInput error that says what the setting needs.
        /// </summary>
        public static SettingRequest Parse(SiteProfile profile, string name, WantedValue wanted)
        {
            string canonical = Canonical(profile, string.IsNullOrWhiteSpace(name) ? AlexaSettingName.VoiceRecordingReview : name);
            var kind = KindOf(profile.Settings[canonical]);
            if (kind == SettingKind.Retention)
            {
                string periods = string.Join(", ", Enum.GetNames(typeof(VoiceRecordingRetention)));
                if (!wanted.HasValue)
                    throw AlexaException.InvalidInput($"{canonical} needs -Value (one of {periods}).");
                if (wanted.ValueAsRetention == null)
                    throw AlexaException.InvalidInput($"'{wanted.Value}' is not a retention period. Use one of: {periods}.");
                var period = wanted.ValueAsRetention.Value;
                return new SettingRequest { Name = canonical, Kind = kind, Retention = period, Value = period.ToString() };
            }
            bool? enabled;
            if (wanted.HasEnabled)
            {
                enabled = wanted.Enabled;
                if (enabled == null)
                    throw AlexaException.InvalidInput($"Enabled value '{wanted.RawEnabled}' is not a boolean: use true/false, yes/no, on/off or 1/0.");
            }
            else
            {
                enabled = wanted.ValueAsSwitch; // -Value On/Off for a switch, as Get-AlexaDataSetting shows it
                if (enabled == null)
                    throw AlexaException.InvalidInput($"{canonical} is a switch and needs -Enabled ($true or $false).");
            }
            return new SettingRequest { Name = canonical, Kind = kind, Enabled = enabled.Value, Value = enabled.Value ? "On" : "Off" };
        }

        /// <summary>A policy's value for <paramref name="canonical"/>, read as the single cmdlets read -Enabled or -Value.</summary>
        public static SettingRequest FromPolicy(SiteProfile profile, string canonical, object value) =>
            Parse(profile, canonical, WantedValue.FromPolicy(value, KindOf(profile.Settings[canonical])));

        /// <summary>
        /// True when what is given applies to a setting of <paramref name="kind"/>, for wildcards: the
        /// switches for -Enabled (or -Value On/Off), the retention choice for a retention -Value.
        /// </summary>
        public static bool Applies(SettingKind kind, WantedValue wanted) =>
            kind == SettingKind.Retention ? wanted.ValueIsForRetention || !wanted.HasEnabled : !wanted.ValueIsForRetention;

        /// <summary>
        /// Why a setting read by Get-AlexaDataSetting is left alone because what is given does not
        /// apply to its kind (-Enabled on the retention choice, say); null when it applies.
        /// </summary>
        public static string NotApplicable(SettingKind kind, AlexaDataSetting setting, WantedValue wanted)
        {
            if (kind == SettingKind.Retention && !wanted.HasValue && wanted.HasEnabled)
                return $"{setting.Name} is not a switch, so -Enabled does not apply to it; it stays {setting.Value}. Give -Value to change it.";
            if (kind == SettingKind.Retention && wanted.HasValue && wanted.ValueAsSwitch != null)
                return $"{setting.Name} is not a switch, so '{wanted.Value}' does not apply to it; it stays {setting.Value}.";
            if (kind == SettingKind.Switch && !wanted.HasEnabled && wanted.HasValue && wanted.ValueAsSwitch == null && wanted.ValueNamesRetention)
                return $"{setting.Name} is a switch, so the retention period '{wanted.Value}' does not apply to it; it stays {setting.Value}.";
            return null;
        }

        /// <summary>The values a setting of <paramref name="kind"/> takes, for completion.</summary>
        public static IEnumerable<string> Values(SettingKind kind) =>
            kind == SettingKind.Retention ? Enum.GetNames(typeof(VoiceRecordingRetention)) : new[] { "On", "Off" };
    }

    internal static class BooleanText
    {
        /// <summary>CSV-friendly booleans: true/false, yes/no, on/off, 1/0 in any case; anything else is null.</summary>
        public static bool? Parse(object value)
        {
            value = value is PSObject wrapped ? wrapped.BaseObject : value;
            switch (value)
            {
                case bool b:
                    return b;
                case SwitchParameter s:
                    return s.IsPresent;
                case int i when i == 0 || i == 1:
                    return i == 1;
                case string text:
                    switch (text.Trim().ToLowerInvariant())
                    {
                        case "true": case "yes": case "on": case "1": case "$true": return true;
                        case "false": case "no": case "off": case "0": case "$false": return false;
                    }
                    return null;
                default:
                    return null;
            }
        }
    }
}
