using AlexaPrivacy.Replica;

// dotnet AlexaPrivacy.Replica.dll [--port 0] [--accounts accounts.json] [--marketplace amazon.com]
//                                 [--language en_US] [--generation 2025|2019] [--page-size 50] [--variant <seed>]
// The first line on stdout is "Listening on http://127.0.0.1:<port>/"; logs go to stderr.
var options = new ReplicaOptions { HandleConsoleSignals = true };
for (int i = 0; i < args.Length; i++)
{
    string Value()
    {
        if (i + 1 >= args.Length) throw new ArgumentException($"{args[i]} needs a value.");
        return args[++i];
    }
    try
    {
        switch (args[i].ToLowerInvariant())
        {
            case "--port": options.Port = int.Parse(Value()); break;
            case "--accounts": options.AccountsFile = Value(); break;
            case "--marketplace": options.Marketplace = Value(); break;
            case "--language": options.Language = ReplicaState.NormalizeLanguage(Value()) ?? throw new ArgumentException("--language must look like en_US."); break;
            case "--generation":
                options.Generation = Value();
                if (options.Generation is not ("2025" or "2019")) throw new ArgumentException("--generation must be 2025 or 2019.");
                break;
            case "--page-size": options.PageSize = int.Parse(Value()); break;
            case "--variant":
                var seedText = Value();
                options.Variant = seedText is "" or "none" or "default" ? null : int.Parse(seedText, System.Globalization.CultureInfo.InvariantCulture);
                break;
            case "-h": case "--help": case "-?":
                Console.WriteLine("Usage: AlexaPrivacy.Replica [--port 0] [--accounts accounts.json] [--marketplace amazon.com] [--language en_US] [--generation 2025|2019] [--page-size 50] [--variant <seed>]");
                return 0;
            default: throw new ArgumentException($"Unknown option {args[i]}.");
        }
    }
    catch (Exception e) when (e is ArgumentException or FormatException)
    {
        Console.Error.WriteLine("AlexaPrivacy.Replica: " + e.Message);
        return 2;
    }
}
try { Marketplace.Find(options.Marketplace); }
catch (ArgumentException e) { Console.Error.WriteLine("AlexaPrivacy.Replica: " + e.Message); return 2; }

var server = new ReplicaServer();
Uri uri;
try { uri = await server.StartAsync(options); }
catch (Exception e)
{
    Console.Error.WriteLine("AlexaPrivacy.Replica: cannot start: " + e.Message);
    return 1;
}
Console.Out.WriteLine($"Listening on {uri}");
Console.Out.Flush();
await server.WaitForShutdownAsync();
await server.StopAsync();
return 0;
