// An account's whole life in one run: its session opened (or the one given taken), its gate held
// while the work runs, a failure translated once and saved with the page's diagnostics while the
// page is still there, and the session's page given back (a kept session) or the session closed
// (one opened for this work alone).
using System;
using System.Threading.Tasks;
using AlexaPrivacy.Diagnostics;
using AlexaPrivacy.Pages;

namespace AlexaPrivacy.Execution
{
    internal static class AccountLife
    {
        public static async Task RunAsync(AccountWork work, Func<AccountWork, Task> body, string activity)
        {
            var input = work.Input;
            AlexaSession session = null;
            bool ephemeral = false;
            try
            {
                if (input.Session != null)
                {
                    session = input.Session;
                }
                else
                {
                    session = await SessionOpener.OpenAsync(input.Request, work.WriteVerbose, work.Cancel).ConfigureAwait(false);
                    ephemeral = true;
                }
                work.Session = session; // for the watchdog, which closes what a stuck call works on
                work.OwnsSession = ephemeral;
                await session.Gate.WaitAsync(work.Cancel).ConfigureAwait(false);
                AlexaException translated = null;
                try
                {
                    work.Session = session;
                    await body(work).ConfigureAwait(false);
                }
                catch (Exception e) when (!work.Cancel.IsCancellationRequested && (translated = AccountErrors.Translate(e, input.Label)) != null)
                {
                    // Saved while the page is still there: the page is released and the session closed below.
                    var error = await PageErrors.WithDiagnosticsAsync(translated, session, activity).ConfigureAwait(false);
                    if (ReferenceEquals(error, e)) throw;
                    throw error;
                }
                finally
                {
                    // A kept session gives its page (a renderer process) back between commands: only the last
                    // one is kept, so that hundreds of sessions piped from Connect-AlexaAccount hold cookies, not processes.
                    if (!ephemeral) await SessionOpener.ReleasePageAsync(session).ConfigureAwait(false);
                    session.Gate.Release();
                }
            }
            finally
            {
                PhaseClock.Lap("other");
                if (ephemeral && session != null) await session.CloseAsync().ConfigureAwait(false);
                PhaseClock.Lap("close");
            }
        }
    }
}
