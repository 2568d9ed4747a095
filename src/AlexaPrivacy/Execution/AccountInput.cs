// What a pipeline row or the parameters say about the account to work on: a session to use,
// or what to sign in with.
namespace AlexaPrivacy.Execution
{
    internal sealed class AccountInput
    {
        public AlexaSession Session { get; set; }

        /// <summary>How to open a session for the account when no session was given.</summary>
        public ConnectRequest Request { get; set; }

        /// <summary>The object the user gave (a CSV row, a session, or the parameters), used as the error target.</summary>
        public object Target { get; set; }

        /// <summary>True when a person signs in in a visible window: the watchdog then also allows timeouts.interactiveSeconds.</summary>
        public bool Interactive { get; set; }

        /// <summary>When the row was queued (Stopwatch ticks), for the time it waited for a slot; 0 when not queued.</summary>
        public long QueuedAt { get; set; }

        /// <summary>A short, secret-free name for messages: the email, or the session's account.</summary>
        public string Label => Session?.Account ?? Request?.Email ?? "(current session)";
    }
}
