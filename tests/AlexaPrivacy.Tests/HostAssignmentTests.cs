using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using AlexaPrivacy.Execution;
using Xunit;

namespace AlexaPrivacy.Tests
{
    public class HostAssignmentTests
    {
        private static readonly string[] Two = { "127.0.0.1", "localhost" };
        private static IEnumerable<string> Emails(int n) => Enumerable.Range(1, n).Select(i => $"user{i:d4}@example.com");

        [Fact]
        public void Picks_the_host_whose_sha256_of_host_and_email_starts_highest()
        {
            // Computed here on its own, from the documented rule.
            foreach (var email in Emails(50))
            {
                string expected = Two.OrderByDescending(h =>
                {
                    using (var sha = SHA256.Create())
                    {
                        var d = sha.ComputeHash(Encoding.UTF8.GetBytes(h + "\n" + email));
                        return string.Concat(d.Take(8).Select(b => b.ToString("x2")));
                    }
                }, System.StringComparer.Ordinal).First();
                Assert.Equal(expected, Two[HostAssignment.HostFor(email, Two)]);
            }
        }

        [Fact]
        public void Ignores_the_case_and_surrounding_spaces_of_the_email_and_the_host_names()
        {
            var hosts = new[] { "alexa1", "alexa2", "alexa3" };
            var upper = new[] { "ALEXA1", "Alexa2", " alexa3 " };
            foreach (var email in Emails(100))
            {
                int host = HostAssignment.HostFor(email, hosts);
                Assert.Equal(host, HostAssignment.HostFor("  " + email.ToUpperInvariant() + " ", hosts));
                Assert.Equal(host, HostAssignment.HostFor(email, upper));
            }
        }

        [Fact]
        public void Does_not_depend_on_the_order_of_the_hosts()
        {
            var hosts = new[] { "alexa1", "alexa2", "alexa3", "alexa4" };
            var reversed = hosts.Reverse().ToArray();
            foreach (var email in Emails(200))
            {
                Assert.Equal(hosts[HostAssignment.HostFor(email, hosts)], reversed[HostAssignment.HostFor(email, reversed)]);
            }
        }

        [Fact]
        public void Moves_only_the_accounts_that_a_new_host_takes_over()
        {
            var three = new[] { "alexa1", "alexa2", "alexa3" };
            var four = new[] { "alexa1", "alexa2", "alexa3", "alexa4" };
            int moved = 0;
            foreach (var email in Emails(2000))
            {
                string before = three[HostAssignment.HostFor(email, three)];
                string after = four[HostAssignment.HostFor(email, four)];
                if (before != after)
                {
                    Assert.Equal("alexa4", after);
                    moved++;
                }
            }
            // About a quarter move to the new host; none move between the old ones.
            Assert.InRange(moved, 400, 600);
        }

        [Fact]
        public void Spreads_accounts_evenly()
        {
            var hosts = new[] { "a", "b", "c", "d" };
            var counts = Emails(4000).GroupBy(e => HostAssignment.HostFor(e, hosts)).ToDictionary(g => g.Key, g => g.Count());
            Assert.Equal(4, counts.Count);
            Assert.All(counts.Values, c => Assert.InRange(c, 850, 1150));
        }
    }
}
