using AlexaPrivacy.Security;
using Xunit;

namespace AlexaPrivacy.Tests
{
    public class SecretFreeTextTests
    {
        private const string State =
            "{\"cookies\":[{\"name\":\"session-token\",\"value\":\"Qx7+kP2/zz==\",\"domain\":\"www.amazon.com\",\"path\":\"/\",\"expires\":-1}," +
            "{\"name\":\"at-main\",\"value\":\"Atza|a\\\"quoted\\\"b\",\"domain\":\".amazon.com\",\"path\":\"/\",\"expires\":-1}," +
            "{\"name\":\"i18n-prefs\",\"value\":\"USD\",\"domain\":\".amazon.com\",\"path\":\"/\",\"expires\":-1}]," +
            "\"origins\":[{\"origin\":\"https://www.amazon.com\",\"localStorage\":[{\"name\":\"csm-hit\",\"value\":\"tb:s-XYZ123|1700000000000\"}]}]}";

        [Fact]
        public void Removes_every_value_of_a_saved_state_from_a_browser_message()
        {
            string message = "browser.newContext: Invalid cookie fields: {\"name\":\"session-token\",\"value\":\"Qx7+kP2/zz==\"} " +
                "at-main=Atza|a\\\"quoted\\\"b; raw Atza|a\"quoted\"b; csm-hit tb:s-XYZ123|1700000000000";
            string scrubbed = SecretFreeText.WithoutStateValues(message, State);
            Assert.DoesNotContain("Qx7+kP2/zz==", scrubbed);
            Assert.DoesNotContain("Atza|a", scrubbed);
            Assert.DoesNotContain("XYZ123", scrubbed);
            // The names and the rest of the message stay: they tell what was refused.
            Assert.Contains("browser.newContext: Invalid cookie fields", scrubbed);
            Assert.Contains("session-token", scrubbed);
            Assert.Contains("(removed)", scrubbed);
        }

        [Fact]
        public void Keeps_values_too_short_to_be_a_secret()
        {
            Assert.Equal("currency USD refused", SecretFreeText.WithoutStateValues("currency USD refused", State));
        }

        [Fact]
        public void Keeps_nothing_of_a_message_when_the_state_cannot_be_read()
        {
            string scrubbed = SecretFreeText.WithoutStateValues("Unexpected token in {\"value\":\"Qx7+kP2/zz==\"", "{\"value\":\"Qx7+kP2/zz==\"");
            Assert.DoesNotContain("Qx7", scrubbed);
        }
    }
}
