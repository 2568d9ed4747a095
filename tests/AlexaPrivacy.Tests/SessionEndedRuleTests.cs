using AlexaPrivacy.Pages;
using Xunit;

namespace AlexaPrivacy.Tests
{
    // The one rule for "the page must be opened again": page loads, changes and the module's own data
    // requests all ask SessionEndedFault, so a status means the same wherever it is answered.
    public class SessionEndedRuleTests
    {
        [Theory]
        [InlineData(401, true)]
        [InlineData(403, true)]
        [InlineData(200, false)]
        [InlineData(404, false)]
        [InlineData(429, false)]
        [InlineData(503, false)]
        public void A_request_of_a_privacy_page_ends_the_session_on_401_and_403_alone(int status, bool ends) =>
            Assert.Equal(ends, SessionEndedFault.Ends(status));

        [Theory]
        [InlineData(200, "{\"recordsList\":[]}", false)]
        [InlineData(200, "  {\"recordsList\":[]}", false)]
        [InlineData(200, "<!doctype html><title>Amazon Sign-In</title>", true)]
        [InlineData(200, "", true)]
        [InlineData(0, "", true)]
        [InlineData(401, "{\"signInUrl\":\"/ap/signin\"}", true)]
        [InlineData(403, "<h1>403 Forbidden</h1>", true)]
        [InlineData(404, "<h1>Not Found</h1>", false)]
        [InlineData(400, "{\"error\":\"bad request\"}", false)]
        public void A_data_request_ends_the_session_when_answered_401_403_no_token_or_no_data(int status, string body, bool ends) =>
            Assert.Equal(ends, SessionEndedFault.EndsData(status, body));
    }
}
