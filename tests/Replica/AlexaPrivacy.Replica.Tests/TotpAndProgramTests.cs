using System.Diagnostics;
using System.Text;

namespace AlexaPrivacy.Replica.Tests;

public class TotpAndProgramTests
{
    [Fact]
    public void TotpMatchesRfc6238VectorAndTheIndependentImplementation()
    {
        // RFC 6238 appendix B, SHA-1, T = 59 s: 94287082 (8 digits) -> 287082 (6 digits).
        var secret = Encoding.ASCII.GetBytes("12345678901234567890");
        Assert.Equal("287082", Totp.Compute(secret, 59 / 30));
        Assert.Equal("287082", TestTotp.Code(secret, 59 / 30, 6));
        const string key = "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ"; // base32 of the same secret
        var at = DateTimeOffset.FromUnixTimeSeconds(1111111109);
        Assert.Equal(TestTotp.Code(key, at), Totp.Compute(key.ToLowerInvariant(), at));
        Assert.True(Totp.Verify(key, TestTotp.Code(key, at.AddSeconds(30)), at));
        Assert.False(Totp.Verify(key, TestTotp.Code(key, at.AddSeconds(90)), at));
    }

    [Fact]
    public async Task ProgramPrintsTheListeningLineFirst()
    {
        var dll = typeof(ReplicaServer).Assembly.Location;
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        psi.ArgumentList.Add(dll);
        psi.ArgumentList.Add("--port");
        psi.ArgumentList.Add("0");
        using var p = Process.Start(psi)!;
        try
        {
            var line = await p.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));
            Assert.Matches(@"^Listening on http://127\.0\.0\.1:\d+/$", line);
            using var http = new HttpClient { BaseAddress = new Uri(line!["Listening on ".Length..]) };
            var info = await http.GetStringAsync("/__replica/info");
            Assert.Contains("amazon.com", info);
        }
        finally
        {
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync();
        }
    }
}
