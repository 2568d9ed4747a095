using AlexaPrivacy.Pages;
using Xunit;

namespace AlexaPrivacy.Tests
{
    public class NetworkErrorTests
    {
        [Theory]
        [InlineData("net::ERR_CONNECTION_RESET at https://www.amazon.com/alexa-privacy/apd/home")]
        [InlineData("net::ERR_EMPTY_RESPONSE at http://127.0.0.1:5000/ap/signin")]
        [InlineData("net::ERR_CONNECTION_CLOSED at https://www.amazon.de/")]
        [InlineData("net::ERR_TIMED_OUT at https://www.amazon.co.uk/")]
        [InlineData("net::ERR_ABORTED; maybe frame was detached?")]
        public void Retries_a_connection_that_may_pass(string message) => Assert.True(ThrottlePolicy.IsTransientNetworkError(message));

        [Theory]
        [InlineData("net::ERR_NAME_NOT_RESOLVED at https://www.amazon.invalid/")]
        [InlineData("net::ERR_CONNECTION_REFUSED at http://127.0.0.1:9/")]
        [InlineData("net::ERR_UNSAFE_PORT at http://127.0.0.1:1/alexa-privacy/apd/home")]
        [InlineData("net::ERR_CERT_AUTHORITY_INVALID at https://self-signed.test/")]
        [InlineData("net::ERR_SSL_PROTOCOL_ERROR at https://127.0.0.1:5000/")]
        [InlineData("net::ERR_BLOCKED_BY_CLIENT at https://www.amazon.com/")]
        public void Fails_at_once_on_an_error_another_try_cannot_mend(string message) => Assert.False(ThrottlePolicy.IsTransientNetworkError(message));

        [Theory]
        [InlineData("Timeout 30000ms exceeded.")] [InlineData("")] [InlineData(null)]
        public void Is_not_a_network_error_without_a_net_code(string message) => Assert.False(ThrottlePolicy.IsTransientNetworkError(message));
    }
}
