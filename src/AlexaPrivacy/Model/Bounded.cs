// A Playwright call bounded in time: what closes a page, a context, a browser or a trace, so that a
// browser that no longer answers never holds up a command. Used by the browser host, the sessions and
// their traces alike.
using System;
using System.Threading.Tasks;
using Microsoft.Playwright;

namespace AlexaPrivacy
{
    internal static class Bounded
    {
        /// <summary>Runs a Playwright call for at most <paramref name="budget"/>; false when it did not finish. Failures of a browser already gone count as done.</summary>
        public static async Task<bool> WithinAsync(Func<Task> call, TimeSpan budget)
        {
            Task task;
            try { task = call(); }
            catch (PlaywrightException) { return true; }
            catch (ObjectDisposedException) { return true; }
            if (await Task.WhenAny(task, Task.Delay(budget)).ConfigureAwait(false) != task)
            {
                _ = task.ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
                return false;
            }
            try { await task.ConfigureAwait(false); }
            catch (PlaywrightException) { }
            catch (ObjectDisposedException) { }
            return true;
        }
    }
}
