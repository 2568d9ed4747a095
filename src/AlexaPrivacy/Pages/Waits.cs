// Waiting on a page without ever waiting forever: the profile's timeouts, Playwright calls that give up
// when the cmdlet is stopped, polling for a state (never a fixed sleep), and looking for a control
// without waiting for it.
using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Playwright;

namespace AlexaPrivacy.Pages
{
    internal static class Waits
    {
        public static float ActionTimeoutMs(AlexaSession session) => (float)(session.Profile.Timeouts.ActionSeconds * 1000);

        public static float NavigationTimeoutMs(AlexaSession session) => (float)(session.Profile.Timeouts.NavigationSeconds * 1000);

        /// <summary>Awaits a Playwright call, giving up as soon as the cmdlet is stopped.</summary>
        public static async Task<T> WithCancellation<T>(this Task<T> task, CancellationToken cancel)
        {
            if (!cancel.CanBeCanceled) return await task.ConfigureAwait(false);
            var stopped = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (cancel.Register(() => stopped.TrySetResult(true)))
            {
                if (await Task.WhenAny(task, stopped.Task).ConfigureAwait(false) != task)
                {
                    ObserveLater(task);
                    throw new OperationCanceledException(cancel);
                }
            }
            return await task.ConfigureAwait(false);
        }

        public static async Task WithCancellation(this Task task, CancellationToken cancel)
        {
            await WithCancellation(task.ContinueWith(t => { t.GetAwaiter().GetResult(); return true; }, TaskScheduler.Default), cancel).ConfigureAwait(false);
        }

        /// <summary>Lets a call that was given up on end unobserved, without an unobserved-task error.</summary>
        internal static void ObserveLater(Task task) => task.ContinueWith(t => _ = t.Exception, TaskScheduler.Default);

        /// <summary>Polls a condition until it holds or the timeout passes: a wait for a state, never a fixed sleep.</summary>
        public static Task<bool> WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, CancellationToken cancel) =>
            WaitUntilAsync(condition, timeout, cancel, null);

        /// <summary>
        /// Polls a condition until it holds or the timeout passes; <paramref name="changed"/> (when given)
        /// gives a task that ends when the page changes (a request answered, a new document): the condition
        /// is then asked again at once, and the polling starts again from its shortest interval.
        /// </summary>
        public static async Task<bool> WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, CancellationToken cancel, Func<Task> changed)
        {
            var deadline = DateTime.UtcNow + timeout;
            int delay = 25;
            while (true)
            {
                cancel.ThrowIfCancellationRequested();
                // Taken before the condition runs, so that a change while it runs is not missed.
                var change = changed?.Invoke();
                if (await condition().ConfigureAwait(false)) return true;
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero) return false;
                var sleep = Task.Delay(left < TimeSpan.FromMilliseconds(delay) ? left : TimeSpan.FromMilliseconds(delay), cancel);
                if (change != null && await Task.WhenAny(sleep, change).ConfigureAwait(false) == change)
                {
                    delay = 25;
                    continue;
                }
                await sleep.ConfigureAwait(false);
                delay = Math.Min(delay * 2, 250);
            }
        }

        public static async Task<bool> IsPresentAsync(ILocator locator) =>
            await CountAsync(locator, CancellationToken.None).ConfigureAwait(false) > 0;

        /// <summary>How many the page shows now; none while it is between documents.</summary>
        public static async Task<int> CountAsync(ILocator locator, CancellationToken cancel)
        {
            try
            {
                return await locator.CountAsync().WithCancellation(cancel).ConfigureAwait(false);
            }
            catch (PlaywrightException)
            {
                return 0; // the page navigated while we looked
            }
        }

        public static async Task<bool> IsVisibleAsync(ILocator locator)
        {
            try
            {
                return await locator.First.IsVisibleAsync().ConfigureAwait(false);
            }
            catch (PlaywrightException)
            {
                return false;
            }
        }
    }
}
