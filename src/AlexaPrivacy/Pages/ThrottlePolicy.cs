// The one answer to "Amazon did not answer this time": which answers are transient (429, 5xx, a
// blank or half-rendered page, Amazon's throttle words), how long to back off, and how many tries.
// Sign-in, page loads, data requests and changes all go through one instance per operation.
using System;
using System.Globalization;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Playwright;

namespace AlexaPrivacy.Pages
{
    /// <summary>A transient answer: the step may succeed when tried again after a pause.</summary>
    internal sealed class TransientFault : Exception
    {
        public TransientFault(int status, string what)
            : base(what)
        {
            Status = status;
        }

        /// <summary>The HTTP status (429, 503, ...), or 0 for a page that did not render.</summary>
        public int Status { get; }

        public string Describe() => Status == 0 ? Message : $"Amazon answered {Status.ToString(CultureInfo.InvariantCulture)} to {Message}";

        /// <summary>
        /// A transient answer to <paramref name="what"/> (a page load or a form), named by the request that got it:
        /// the page a redirect led to is a request of its own ("/ap/signin, the page /alexa-privacy/apd/myad led to"),
        /// so that the tries in a row count per request (<see cref="ThrottlePolicy"/>), not per chain of redirects.
        /// The address is named up to its path: a query may carry what was typed.
        /// </summary>
        public static TransientFault Answered(IResponse response, string what)
        {
            if (response.Request.RedirectedFrom == null) return new TransientFault(response.Status, what);
            string path = Uri.TryCreate(response.Url, UriKind.Absolute, out var url) ? url.AbsolutePath : "the next page";
            return new TransientFault(response.Status, $"{path}, the page {what} led to");
        }
    }

    /// <summary>
    /// Amazon ended the session, or the page's csrf token went stale (opening the page again cures both):
    /// the page must be opened again, signing in when credentials are at hand.
    /// </summary>
    internal sealed class SessionEndedFault : Exception
    {
        public SessionEndedFault(string what)
            : base(what)
        {
        }

        /// <summary>
        /// The one rule, for page loads, data requests and changes alike: a request of a privacy page answered
        /// 401 (no session) or 403 (a refused csrf token).
        /// </summary>
        public static bool Ends(int status) => status == 401 || status == 403;

        /// <summary>
        /// The same rule for a data request the module sends itself: 401 or 403; no csrf token on the page to
        /// send (status 0: the page is the sign-in); or a 200 that is no data (the sign-in page a redirect led to).
        /// </summary>
        public static bool EndsData(int status, string body) =>
            Ends(status) || status == 0 || (status == 200 && !(body ?? "").TrimStart().StartsWith("{", StringComparison.Ordinal));
    }

    internal sealed class ThrottlePolicy
    {
        /// <summary>Tries of one step in a row (the first included) before AlexaRateLimited.</summary>
        public static int MaxTries => Backoff.MaxAttempts;

        /// <summary>Transient faults in one whole operation, however much progress came between them.</summary>
        public const int MaxFaults = 24;

        private readonly string _account;
        private readonly Action<string> _verbose;
        private readonly CancellationToken _cancel;
        private int _tries;
        private int _faults;
        private string _lastFault;

        public ThrottlePolicy(AlexaSession session, Action<string> verbose, CancellationToken cancel)
        {
            _account = session.Account;
            _verbose = verbose ?? (_ => { });
            _cancel = cancel;
        }

        /// <summary>How many times this operation backed off.</summary>
        public int Retries => _faults;

        /// <summary>429, 503 and the other 5xx answers are Amazon being busy, not a refusal.</summary>
        public static bool IsTransient(int status) => status == 429 || (status >= 500 && status <= 599 && status != 501 && status != 505);

        // Network errors that another try cannot mend: no such host, nothing listening, a port or
        // address the browser refuses, a certificate or TLS failure, a request the browser blocked.
        private static readonly string[] LastingNetworkErrors =
        {
            "ERR_NAME_NOT_RESOLVED", "ERR_CONNECTION_REFUSED", "ERR_UNSAFE_PORT", "ERR_ADDRESS_INVALID",
            "ERR_INVALID_URL", "ERR_UNKNOWN_URL_SCHEME", "ERR_DISALLOWED_URL_SCHEME", "ERR_CERT_", "ERR_SSL_", "ERR_BLOCKED_",
        };

        /// <summary>
        /// True for a browser network error ("net::ERR_...") that may pass: a dropped or reset connection,
        /// an empty answer, a timeout. The lasting ones fail at once as AlexaSiteUnreachable.
        /// </summary>
        public static bool IsTransientNetworkError(string message)
        {
            if (message == null) return false;
            int at = message.IndexOf("net::ERR_", StringComparison.Ordinal);
            if (at < 0) return false;
            string code = message.Substring(at + "net::".Length);
            foreach (string lasting in LastingNetworkErrors)
            {
                if (code.StartsWith(lasting, StringComparison.Ordinal)) return false;
            }
            return true;
        }

        /// <summary>Called when a step got through: the next fault starts counting from 1 again.</summary>
        public void Progress()
        {
            _tries = 0;
            _lastFault = null;
        }

        /// <summary>Waits before the next try of a step, or throws AlexaRateLimited when the tries are used up.</summary>
        public async Task BackOffAsync(TransientFault fault)
        {
            // Tries count per request in a row: another request failing is not the same step failing again
            // (a page of five requests under random faults would otherwise use its tries up on different ones).
            string key = fault.Describe();
            if (key != _lastFault) _tries = 0;
            _lastFault = key;
            _tries++;
            _faults++;
            if (_tries >= MaxTries || _faults >= MaxFaults)
            {
                throw new AlexaException(AlexaErrorId.RateLimited, ErrorCategory.LimitsExceeded,
                    $"{fault.Describe()} for {_account}: gave up after {_tries} tries in a row ({_faults} in this operation); nothing more was done.", fault)
                { RecommendedAction = "Wait a few minutes, or lower -ThrottleLimit. Running the command again is safe: every change is idempotent." };
            }
            var wait = Backoff.Delay(_tries);
            _verbose($"{fault.Describe()} for {_account}; trying again ({(_tries + 1).ToString(CultureInfo.InvariantCulture)} of {MaxTries.ToString(CultureInfo.InvariantCulture)}) in {wait.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s.");
            await Task.Delay(wait, _cancel).ConfigureAwait(false);
        }
    }
}
