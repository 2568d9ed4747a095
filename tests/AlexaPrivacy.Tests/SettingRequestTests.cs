using System;
using AlexaPrivacy;
using AlexaPrivacy.Site;
using Xunit;

namespace AlexaPrivacy.Tests
{
    public class SettingRequestTests
    {
        private static readonly SiteProfile Profile = SiteProfile.Resolve();

        [Fact]
        public void Reads_a_switch_from_Enabled_and_spells_the_name_as_the_profile_does()
        {
            var request = SettingRequest.Parse(Profile, "messagetranscription", WantedValue.Read("no", null));
            Assert.Equal(AlexaSettingName.MessageTranscription, request.Name);
            Assert.Equal(SettingKind.Switch, request.Kind);
            Assert.False(request.Enabled);
            Assert.Equal("Off", request.Value);
            Assert.True(request.IsMet("off"));
            Assert.False(request.IsMet("On"));
        }

        [Fact]
        public void Takes_human_review_when_no_name_is_given_and_On_Off_from_Value()
        {
            var request = SettingRequest.Parse(Profile, " ", WantedValue.Read("", "On"));
            Assert.Equal(AlexaSettingName.VoiceRecordingReview, request.Name);
            Assert.True(request.Enabled);
        }

        [Fact]
        public void Reads_a_retention_period_and_refuses_what_is_not_one()
        {
            var request = SettingRequest.Parse(Profile, AlexaSettingName.VoiceRecordingRetention, WantedValue.Read(null, " threemonths "));
            Assert.Equal(SettingKind.Retention, request.Kind);
            Assert.Equal(VoiceRecordingRetention.ThreeMonths, request.Retention);
            Assert.Equal("ThreeMonths", request.Value);
            var missing = Assert.Throws<AlexaException>(() => SettingRequest.Parse(Profile, AlexaSettingName.VoiceRecordingRetention, WantedValue.Read(true, null)));
            Assert.Contains("needs -Value", missing.Message);
            var unknown = Assert.Throws<AlexaException>(() => SettingRequest.Parse(Profile, AlexaSettingName.VoiceRecordingRetention, WantedValue.Read(null, "7")));
            Assert.Contains("'7' is not a retention period", unknown.Message);
        }

        [Fact]
        public void Refuses_an_unknown_setting_and_a_switch_without_a_boolean()
        {
            Assert.Equal(AlexaErrorId.InvalidInput, Assert.Throws<AlexaException>(() => SettingRequest.Parse(Profile, "Nope", WantedValue.Read(true, null))).ErrorId);
            Assert.Contains("needs -Enabled", Assert.Throws<AlexaException>(() => SettingRequest.Parse(Profile, null, WantedValue.Read(null, null))).Message);
            Assert.Contains("Enabled value 'maybe' is not a boolean", Assert.Throws<AlexaException>(() => SettingRequest.Parse(Profile, null, WantedValue.Read("maybe", "On"))).Message);
        }

        [Fact]
        public void Reads_a_policy_value_by_the_kind_of_its_setting()
        {
            Assert.Equal("Off", SettingRequest.FromPolicy(Profile, AlexaSettingName.DeletionByVoice, false).Value);
            Assert.Equal("UntilDeleted", SettingRequest.FromPolicy(Profile, AlexaSettingName.VoiceRecordingRetention, "UntilDeleted").Value);
            Assert.Throws<AlexaException>(() => SettingRequest.FromPolicy(Profile, AlexaSettingName.VoiceRecordingRetention, true));
        }

        [Fact]
        public void Wildcards_take_the_settings_that_what_is_given_applies_to()
        {
            Assert.True(SettingRequest.Applies(SettingKind.Switch, WantedValue.Read(false, null)));
            Assert.False(SettingRequest.Applies(SettingKind.Retention, WantedValue.Read(false, null)));
            Assert.True(SettingRequest.Applies(SettingKind.Retention, WantedValue.Read(null, "DontSave")));
            Assert.False(SettingRequest.Applies(SettingKind.Switch, WantedValue.Read(null, "DontSave")));
        }

        [Fact]
        public void A_piped_setting_of_another_kind_is_left_alone_with_a_reason()
        {
            var retention = new AlexaDataSetting { Name = AlexaSettingName.VoiceRecordingRetention, Value = "UntilDeleted" };
            var review = new AlexaDataSetting { Name = AlexaSettingName.VoiceRecordingReview, Value = "On", Enabled = true };
            Assert.Contains("-Enabled does not apply", SettingRequest.NotApplicable(SettingKind.Retention, retention, WantedValue.Read(false, null)));
            Assert.Contains("'Off' does not apply", SettingRequest.NotApplicable(SettingKind.Retention, retention, WantedValue.Read(null, "Off")));
            Assert.Contains("retention period 'DontSave' does not apply", SettingRequest.NotApplicable(SettingKind.Switch, review, WantedValue.Read(null, "DontSave")));
            Assert.Null(SettingRequest.NotApplicable(SettingKind.Switch, review, WantedValue.Read(false, null)));
        }
    }
}
