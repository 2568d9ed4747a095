using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using AlexaPrivacy.Pages;
using Xunit;

namespace AlexaPrivacy.Tests
{
    public class WaitsTests
    {
        // 40 polls on the interval alone take 25 + 50 + 100 + 200 + 36 x 250 ms: over 9 s.
        private const int Polls = 40;

        [Fact]
        public async Task Asks_again_at_once_when_the_page_changes()
        {
            int asked = 0;
            var clock = Stopwatch.StartNew();
            bool held = await Waits.WaitUntilAsync(() => Task.FromResult(++asked == Polls), TimeSpan.FromSeconds(60), CancellationToken.None,
                () => Task.CompletedTask);
            Assert.True(held);
            Assert.Equal(Polls, asked);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"{Polls} polls, each woken by a change of the page, took {clock.Elapsed}.");
        }

        [Fact]
        public async Task Polls_on_its_interval_while_the_page_does_not_change()
        {
            int asked = 0;
            var never = new TaskCompletionSource<bool>();
            var clock = Stopwatch.StartNew();
            bool held = await Waits.WaitUntilAsync(() => Task.FromResult(++asked == 4), TimeSpan.FromSeconds(60), CancellationToken.None,
                () => never.Task);
            Assert.True(held);
            // Three intervals: 25 + 50 + 100 ms at the least.
            Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(170), $"4 polls without a change took only {clock.Elapsed}.");
        }

        [Fact]
        public async Task Gives_up_at_the_timeout_when_the_page_keeps_changing()
        {
            var clock = Stopwatch.StartNew();
            bool held = await Waits.WaitUntilAsync(async () => { await Task.Delay(5); return false; }, TimeSpan.FromMilliseconds(300), CancellationToken.None,
                () => Task.CompletedTask);
            Assert.False(held);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"A 300 ms wait took {clock.Elapsed}.");
        }

        [Fact]
        public async Task Stops_when_the_command_is_stopped()
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                Waits.WaitUntilAsync(() => Task.FromResult(false), TimeSpan.FromSeconds(60), stop.Token, () => new TaskCompletionSource<bool>().Task));
        }

        [Theory]
        [InlineData("Password assistance", true)]
        [InlineData("Hilfe zum Passwort", true)]
        [InlineData("  Password assistance \u2192", true)]
        [InlineData("Password assistance needed", false)]
        [InlineData("Password", false)]
        [InlineData("Password assistance|Hilfe zum Passwort", false)]
        public void Matches_any_of_the_labels_only_as_a_whole(string name, bool matches) =>
            Assert.Equal(matches, PageText.WholeLabelOfAny(new[] { "Password assistance", "Hilfe zum Passwort" }).IsMatch(name));
    }
}
