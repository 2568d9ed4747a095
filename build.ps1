#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Builds, tests, demonstrates and benchmarks the AlexaPrivacy module.
.DESCRIPTION
    Tasks:
      build  (default) the module into out/AlexaPrivacy, the replica into out/replica, and the help
      docs   only the help (MAML and about topic) from docs/en-US
      test   build, then xunit and Pester (Pester in a child pwsh against the replica, in headless Chromium),
             then the secret canary (tools/Test-SecretCanary.ps1): every secret the tests created, searched
             for in out/test-run (streams, diagnostics, traces) and out/pester-results; a hit fails the run
      demo   build, start the replica with sample accounts, and run samples/demo.ps1
      bench  build, then the benchmarks (tools/Benchmark.ps1, tools/Benchmark-VoiceHistory.ps1, tools/Benchmark-Policy.ps1)
      package build, then a versioned AlexaPrivacy.<version>.nupkg (Publish-PSResource) in the local
             file repository out/repo, the same package for Windows, macOS and Linux
      soak   build, then the variant files (tests/Pester/*Variants.Tests.ps1) and Policy.Deletion.Tests.ps1
             against -Seeds random variant seeds of the replica;
             prints the seeds that failed (replay one with $env:ALEXAPRIVACY_TEST_VARIANT = <seed>)
    Run it through ./build.sh on a bare machine: that script installs Chromium and the pinned pwsh first.
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('build', 'docs', 'test', 'demo', 'bench', 'package', 'soak')]
    [string] $Task = 'build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Run only the Pester files whose names match (for example 'Set-AlexaDataSetting').
    [string[]] $TestFilter,

    # The time limit of one Pester file (each runs in its own pwsh); a file past it fails and is named.
    [ValidateRange(30, 3600)]
    [int] $TestTimeoutSeconds = 600,

    # How many Pester files run at once, each in its own pwsh with its own replica (1 runs them one
    # by one and streams their output live; with more, each file's output is printed when it ends).
    [ValidateRange(1, 8)]
    [int] $TestParallel = 2,

    # Extra arguments for the benchmark.
    [hashtable] $BenchOptions = @{},

    # soak: how many random variant seeds to run the variant tests against.
    [ValidateRange(1, 10000)]
    [int] $Seeds = 20
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$Root = $PSScriptRoot
$Out = Join-Path $Root 'out'
$ModuleOut = Join-Path $Out 'AlexaPrivacy'
$ReplicaOut = Join-Path $Out 'replica'
$RepositoryOut = Join-Path $Out 'repo'

function Invoke-Native {
    param([string] $File, [string[]] $Arguments)
    & $File @Arguments | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "'$File $($Arguments -join ' ')' failed with exit code $LASTEXITCODE." }
}

# The pwsh running this script, as a command and its first arguments: a dotnet tool (dotnet pwsh.dll)
# or an installed pwsh. Read once; every child pwsh (a test file, the docs, the bench) starts the same way.
$PwshCommand = & {
    $self = Get-Process -Id $PID
    if ($self.ProcessName -eq 'dotnet') { @('dotnet', (Join-Path $PSHOME 'pwsh.dll')) } else { @($self.Path) }
}

function Invoke-ChildPwsh {
    param([string[]] $Arguments)
    $rest = @($PwshCommand | Select-Object -Skip 1) + $Arguments
    & $PwshCommand[0] @rest | Out-Host
}

function Build-Module {
    Write-Host "Building the module ($Configuration)..."
    Invoke-Native dotnet @('build', (Join-Path $Root 'src/AlexaPrivacy/AlexaPrivacy.csproj'), '-c', $Configuration, '--nologo', '-v', 'q', '-clp:ErrorsOnly')
    $bin = Join-Path $Root "src/AlexaPrivacy/bin/$Configuration/netstandard2.0"
    if (Test-Path $ModuleOut) { Remove-Item $ModuleOut -Recurse -Force }
    New-Item -ItemType Directory -Path $ModuleOut | Out-Null
    # PowerShell's own assemblies come from the host; shipping the reference copy would break it.
    Get-ChildItem $bin -File | Where-Object { $_.Name -notin @('System.Management.Automation.dll', 'AlexaPrivacy.deps.json', 'Microsoft.Playwright.dll') } |
        Copy-Item -Destination $ModuleOut
    # Microsoft.Playwright loads into its own AssemblyLoadContext from dependencies/ (see PlaywrightLoadContext),
    # and its driver must sit beside the Microsoft.Playwright.dll that is loaded. The driver is JavaScript
    # and the same on every platform; it runs on the machine's Node.js 20+ (Browser/DriverFiles.cs), so the
    # build's per-platform node binary (over 100 MB), the TypeScript types and the .NET tool script stay out.
    $dependencies = New-Item -ItemType Directory -Path (Join-Path $ModuleOut 'dependencies')
    Copy-Item (Join-Path $bin 'Microsoft.Playwright.dll') -Destination $dependencies
    $driver = New-Item -ItemType Directory -Path (Join-Path $dependencies '.playwright')
    Copy-Item (Join-Path $bin '.playwright/package') -Destination $driver -Recurse
    Remove-Item (Join-Path $driver 'package/types') -Recurse -Force -ErrorAction SilentlyContinue
    Get-ChildItem $ModuleOut -Filter 'playwright.ps1' | Remove-Item
    Copy-Item (Join-Path $Root 'AlexaPrivacy.psd1') -Destination $ModuleOut
    Copy-Item (Join-Path $Root 'LICENSE') -Destination $ModuleOut
    Copy-Item (Join-Path $Root 'src/AlexaPrivacy/AlexaPrivacy.format.ps1xml') -Destination $ModuleOut
    # The unattended enforcement script ships with the module: $module.ModuleBase/Samples/Enforce-AlexaPrivacyPolicy.ps1.
    $samples = New-Item -ItemType Directory -Path (Join-Path $ModuleOut 'Samples')
    Copy-Item (Join-Path $Root 'samples/Enforce-AlexaPrivacyPolicy.ps1') -Destination $samples
    Copy-Item (Join-Path $Root 'src/AlexaPrivacy/AlexaPrivacy.types.ps1xml') -Destination $ModuleOut
    Build-Help
}

# Publishes the built module folder into out/repo with Publish-PSResource (PSResourceGet, in pwsh 7.4+).
# The repository is registered in a child pwsh whose PSResourceGet store is a temporary folder, so the
# user's own repository list is never touched (on Windows, where the store cannot be moved, the
# registration has a unique name and is removed again).
function Build-Package {
    $manifest = Import-PowerShellDataFile (Join-Path $ModuleOut 'AlexaPrivacy.psd1')
    $version = $manifest.ModuleVersion
    $package = Join-Path $RepositoryOut "AlexaPrivacy.$version.nupkg"
    New-Item -ItemType Directory -Path $RepositoryOut -Force | Out-Null
    Remove-Item $package -ErrorAction SilentlyContinue
    $store = Join-Path ([IO.Path]::GetTempPath()) "alexaprivacy-psresource-$([guid]::NewGuid().ToString('N'))"
    New-Item -ItemType Directory -Path $store | Out-Null
    $name = "AlexaPrivacyBuild$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    $script = @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name '$name' -Uri '$RepositoryOut' -Trusted
try { Publish-PSResource -Path '$ModuleOut' -Repository '$name' }
finally { Unregister-PSResourceRepository -Name '$name' }
"@
    $savedData = $env:XDG_DATA_HOME
    try {
        $env:XDG_DATA_HOME = $store
        Invoke-ChildPwsh @('-NoProfile', '-NonInteractive', '-Command', $script)
        if ($LASTEXITCODE -ne 0) { throw "Publish-PSResource failed with exit code $LASTEXITCODE." }
    }
    finally {
        $env:XDG_DATA_HOME = $savedData
        Remove-Item $store -Recurse -Force -ErrorAction SilentlyContinue
    }
    if (-not (Test-Path $package)) { throw "Publish-PSResource did not write $package." }
    $item = Get-Item $package
    $entries = [IO.Compression.ZipFile]::OpenRead($item.FullName)
    try { $unpacked = ($entries.Entries | Measure-Object Length -Sum).Sum } finally { $entries.Dispose() }
    Write-Host ('Package: {0} ({1:N1} MB, {2:N0} bytes; {3:N1} MB installed), the same for Windows, macOS and Linux.' -f
        [IO.Path]::GetRelativePath($Root, $item.FullName), ($item.Length / 1MB), $item.Length, ($unpacked / 1MB))
    $item
}

# Playwright's driver needs Node.js 20+. For tests and the demo only: when the machine has none, the
# node that the Microsoft.Playwright NuGet package carries for this platform is used instead.
function Use-NodeForTests {
    if ($env:PLAYWRIGHT_NODEJS_PATH) { return }
    $node = Get-Command node -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($node) {
        $version = (& $node.Source --version 2>$null) -replace '^v', ''
        if ($version -as [version] -and ([version]$version).Major -ge 20) { return }
    }
    $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
    $platform = if ($IsWindows) { 'win32_x64' } elseif ($IsMacOS) { if ([Runtime.InteropServices.RuntimeInformation]::OSArchitecture -eq 'Arm64') { 'darwin-arm64' } else { 'darwin-x64' } }
        elseif ([Runtime.InteropServices.RuntimeInformation]::OSArchitecture -eq 'Arm64') { 'linux-arm64' } else { 'linux-x64' }
    $exe = if ($IsWindows) { 'node.exe' } else { 'node' }
    $bundled = Get-ChildItem (Join-Path $packages 'microsoft.playwright') -Directory -ErrorAction SilentlyContinue |
        Sort-Object { $_.Name -as [version] } -Descending |
        ForEach-Object { Join-Path $_.FullName ".playwright/node/$platform/$exe" } | Where-Object { Test-Path $_ } | Select-Object -First 1
    if (-not $bundled) { throw 'Playwright''s driver needs Node.js 20 or newer: install it (on Debian: apt-get install nodejs).' }
    if (-not $IsWindows) { & chmod 755 $bundled }
    Write-Host "No Node.js 20 or newer on PATH: the tests use $bundled."
    $env:PLAYWRIGHT_NODEJS_PATH = $bundled
}

function Build-Replica {
    Write-Host 'Building the replica...'
    Invoke-Native dotnet @('build', (Join-Path $Root 'src/AlexaPrivacy.Replica/AlexaPrivacy.Replica.csproj'), '-c', $Configuration, '--nologo', '-v', 'q', '-clp:ErrorsOnly', '-o', $ReplicaOut)
}

function Build-Help {
    $converter = Join-Path $Root 'tools/Build-Help.ps1'
    if (Test-Path $converter) {
        & $converter -DocsPath (Join-Path $Root 'docs/en-US') -OutputPath (Join-Path $ModuleOut 'en-US')
    }
}

function Get-PesterPath {
    Invoke-Native dotnet @('restore', (Join-Path $Root 'tools/BuildTools.csproj'), '--nologo', '-v', 'q')
    $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
    $manifest = Get-ChildItem (Join-Path $packages 'pester') -Recurse -Filter Pester.psd1 | Sort-Object FullName -Descending | Select-Object -First 1
    if (-not $manifest) { throw "Pester was not restored into $packages." }
    $manifest.FullName
}

function Invoke-XunitTests {
    $passed = 0; $failed = 0
    foreach ($project in Get-ChildItem (Join-Path $Root 'tests') -Recurse -Filter *.Tests.csproj) {
        Write-Host "xunit: $($project.Name)"
        $output = & dotnet test $project.FullName -c $Configuration --nologo 2>&1
        $output | ForEach-Object { Write-Host $_ }
        $summary = $output | Select-String -Pattern 'Failed:\s*(\d+),\s*Passed:\s*(\d+)' | Select-Object -Last 1
        foreach ($line in $output | Select-String -Pattern '^\s*Failed (\S.*?)( \[[^\]]*\])?\s*$') {
            $FailedTests.Add("xunit $($project.BaseName): $($line.Matches[0].Groups[1].Value)")
        }
        if ($summary) {
            $failed += [int]$summary.Matches[0].Groups[1].Value
            $passed += [int]$summary.Matches[0].Groups[2].Value
        }
        elseif ($LASTEXITCODE -ne 0) {
            $failed += 1
            Write-Host "xunit: $($project.Name) did not run (exit code $LASTEXITCODE)."
        }
    }
    [pscustomobject]@{ Passed = $passed; Failed = $failed }
}

# What a test run writes, for the secret canary: the secrets the tests created (canary/), each
# Pester child's output (streams/), and the diagnostics and traces the module wrote (artifacts/).
$TestRun = Join-Path $Out 'test-run'

# A child's output goes to the console as it comes and, byte for byte, to a file.
function Start-StreamCopy {
    param([IO.Stream] $From, [string] $Path, [IO.Stream] $Console)
    if (-not ('AlexaPrivacyBuild.StreamTee' -as [type])) {
        Add-Type -TypeDefinition @'
namespace AlexaPrivacyBuild {
    public static class StreamTee {
        public static System.Threading.Tasks.Task Copy(System.IO.Stream from, string path, System.IO.Stream console) {
            return System.Threading.Tasks.Task.Run(() => {
                using (var file = new System.IO.FileStream(path, System.IO.FileMode.Create, System.IO.FileAccess.Write)) {
                    var buffer = new byte[8192];
                    int n;
                    while ((n = from.Read(buffer, 0, buffer.Length)) > 0) {
                        file.Write(buffer, 0, n);
                        if (console != null) { lock (console) { console.Write(buffer, 0, n); console.Flush(); } }
                    }
                }
            });
        }
    }
}
'@
    }
    [AlexaPrivacyBuild.StreamTee]::Copy($From, $Path, $Console)
}

# Searches everything the run wrote (files and streams) for every secret the tests recorded; each
# hit is one failed test, a clean run one passed test.
function Invoke-SecretCanary {
    $canary = & (Join-Path $Root 'tools/Test-SecretCanary.ps1') -SecretsFolder (Join-Path $TestRun 'canary') `
        -Path (Join-Path $TestRun 'artifacts'), (Join-Path $Out 'pester-results') -StreamPath (Join-Path $TestRun 'streams')
    foreach ($hit in $canary.Hits) { Write-Host "canary: a $($hit.Kind) ($($hit.Form)) in $($hit.Place)" }
    Write-Host "canary: $($canary.Files) files and $($canary.Streams) streams searched for $($canary.Secrets) secrets, $(@($canary.Hits).Count) hits"
    $hits = @($canary.Hits).Count
    [pscustomobject]@{ Passed = [int]($hits -eq 0); Failed = $hits }
}

# Each test file runs in its own child pwsh with a time limit: a hang fails that file, names it,
# and kills its process tree (pwsh, replica, driver, browser) instead of holding up the whole run.
# -TestParallel files run at once (each starts its own replica on a free port and keeps its
# artifacts, diagnostics and TestDrive apart); the longest files start first.
# The order is that of the files' times in a CI run; a file not named starts after these (when
# SiteCompatibility.Variants was not named, it started last and ran alone for most of its 106 s).
$PesterLongestFirst = @('Variants', 'Security', 'Reliability', 'SiteCompatibility.Variants', 'VoiceHistory', 'Test-AlexaSiteCompatibility',
    'Remoting', 'Policy', 'SiteProfile', 'Reliability.Interactive', 'Set-AlexaDataSetting', 'Marketplaces', 'Remove-AlexaVoiceHistory',
    'Package', 'Export-AlexaVoiceHistory', 'Bulk', 'Audit', 'Reliability.Processes', 'Report', 'Errors', 'Set-AlexaDataSetting.Pipeline')

function Start-PesterFile {
    param([string] $Path, [string] $Pester, [string] $ResultsFolder, [bool] $Live)
    $name = [IO.Path]::GetFileNameWithoutExtension($Path)
    $resultFile = Join-Path $ResultsFolder "$name.xml"
    $countsFile = Join-Path $ResultsFolder "$name.json"
    # A child pwsh: the tests import the built module the way a user does, with no state from this build.
    $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$Pester' -Force
`$env:ALEXAPRIVACY_TEST_MODULE = '$(Join-Path $ModuleOut 'AlexaPrivacy.psd1')'
`$env:ALEXAPRIVACY_TEST_REPLICA = '$(Join-Path $ReplicaOut 'AlexaPrivacy.Replica.dll')'
`$env:ALEXAPRIVACY_TEST_REPOSITORY = '$RepositoryOut'
`$env:ALEXAPRIVACY_TEST_CANARY = '$(Join-Path $TestRun 'canary')'
`$env:ALEXAPRIVACY_TEST_ARTIFACTS = '$(Join-Path $TestRun "artifacts/$name")'
`$env:ALEXAPRIVACY_DIAGNOSTICS_PATH = '$(Join-Path $TestRun "artifacts/$name/diagnostics")'
`$config = New-PesterConfiguration
`$config.Run.Path = @('$Path')
`$config.Run.PassThru = `$true
`$config.Output.Verbosity = 'Detailed'
`$config.TestResult.Enabled = `$true
`$config.TestResult.OutputPath = '$resultFile'
`$result = Invoke-Pester -Configuration `$config
if (-not `$result) { throw 'Pester returned no result.' }
@{ Passed = `$result.PassedCount; Failed = `$result.FailedCount + `$result.FailedBlocksCount + `$result.FailedContainersCount } | ConvertTo-Json | Set-Content '$countsFile'
"@
    $info = [Diagnostics.ProcessStartInfo]::new($PwshCommand[0])
    foreach ($a in @($PwshCommand | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-Command', $script)) { $info.ArgumentList.Add($a) }
    $info.UseShellExecute = $false
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $streams = Join-Path $TestRun 'streams'
    $null = New-Item -ItemType Directory $streams -Force
    $stdout = Join-Path $streams "$name.stdout.txt"
    $stderr = Join-Path $streams "$name.stderr.txt"
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $child = [Diagnostics.Process]::Start($info)
    # Live output only when one file runs at a time; otherwise it is printed whole when the file ends.
    $copies = @(
        Start-StreamCopy $child.StandardOutput.BaseStream $stdout $(if ($Live) { [Console]::OpenStandardOutput() })
        Start-StreamCopy $child.StandardError.BaseStream $stderr $(if ($Live) { [Console]::OpenStandardError() })
    )
    [pscustomobject]@{ Name = $name; Child = $child; Copies = $copies; Clock = $clock; CountsFile = $countsFile; ResultFile = $resultFile; Live = $Live; Stdout = $stdout; Stderr = $stderr }
}

# What failed, named again at the end of the run (where a short tail of the output still shows it).
$FailedTests = [Collections.Generic.List[string]]::new()

# The failed tests (and blocks) of one file's NUnit result, each with the first line of its message.
function Add-PesterFailures {
    param([string] $Name, [string] $ResultFile)
    $before = $FailedTests.Count
    if (Test-Path $ResultFile) {
        try {
            [xml] $result = Get-Content $ResultFile -Raw
            foreach ($node in $result.SelectNodes('//*[@result="Failure" and not(.//*[@result="Failure"])]')) {
                $message = $node.SelectSingleNode('failure/message')
                $first = if ($message) { ($message.InnerText -split "`n" | Where-Object { $_.Trim() } | Select-Object -First 1) } else { '' }
                if ($first -and $first.Length -gt 400) { $first = $first.Substring(0, 400) + '...' }
                $FailedTests.Add("Pester $($Name): $($node.GetAttribute('name')): $first")
            }
        }
        catch { Write-Host "Pester: the result of $Name could not be read: $($_.Exception.Message)" }
    }
    if ($FailedTests.Count -eq $before) { $FailedTests.Add("Pester $($Name): a failure outside any test (see its output above)") }
}

# Ends one file's run (killing its tree past the time limit) and returns its counts.
function Complete-PesterFile {
    param($Run, [bool] $TimedOut)
    if ($TimedOut) {
        $Run.Child.Kill($true)
        $null = $Run.Child.WaitForExit(30000)
    }
    else { $Run.Child.WaitForExit() } # lets the output drain
    $null = [Threading.Tasks.Task]::WaitAll([Threading.Tasks.Task[]]$Run.Copies, 30000)
    if (-not $Run.Live) {
        Write-Host "----- Pester: $($Run.Name) -----"
        foreach ($file in $Run.Stdout, $Run.Stderr) { if ((Test-Path $file) -and (Get-Item $file).Length -gt 0) { Write-Host ([IO.File]::ReadAllText($file).TrimEnd()) } }
    }
    if ($TimedOut) {
        Write-Host "Pester: $($Run.Name) did not finish within $TestTimeoutSeconds s; its processes were killed and it counts as a failure."
        $FailedTests.Add("Pester $($Run.Name): did not finish within $TestTimeoutSeconds s")
        return [pscustomobject]@{ Passed = 0; Failed = 1 }
    }
    if (Test-Path $Run.CountsFile) {
        $counts = Get-Content $Run.CountsFile -Raw | ConvertFrom-Json
        Write-Host "Pester: $($Run.Name) took $([int]$Run.Clock.Elapsed.TotalSeconds) s: $($counts.Passed) passed, $($counts.Failed) failed."
        if ([int]$counts.Failed -gt 0) { Add-PesterFailures -Name $Run.Name -ResultFile $Run.ResultFile }
        return [pscustomobject]@{ Passed = [int]$counts.Passed; Failed = [int]$counts.Failed }
    }
    Write-Host "Pester: $($Run.Name) ended (exit code $($Run.Child.ExitCode)) without a result; it counts as a failure."
    $FailedTests.Add("Pester $($Run.Name): ended (exit code $($Run.Child.ExitCode)) without a result")
    [pscustomobject]@{ Passed = 0; Failed = 1 }
}

function Invoke-PesterTests {
    $pester = Get-PesterPath
    $filters = @($TestFilter | ForEach-Object { $_ -split ',' } | Where-Object { $_ })
    $files = @(Get-ChildItem (Join-Path $Root 'tests/Pester') -Filter *.Tests.ps1 |
        Where-Object { $file = $_; $filters.Count -eq 0 -or ($filters | Where-Object { $file.Name -like "*$_*" }) })
    if (-not $files) { throw "No Pester file matches -TestFilter '$($filters -join ',')'." }
    $queue = [Collections.Generic.Queue[string]]::new()
    $files | Sort-Object @{ Expression = { $i = [array]::IndexOf($PesterLongestFirst, $_.Name -replace '\.Tests\.ps1$', ''); if ($i -lt 0) { 1000 } else { $i } } }, Name |
        ForEach-Object { $queue.Enqueue($_.FullName) }
    $resultsFolder = Join-Path $Out 'pester-results'
    if (Test-Path $resultsFolder) { Remove-Item $resultsFolder -Recurse -Force }
    $null = New-Item -ItemType Directory $resultsFolder
    $parallel = [Math]::Min($TestParallel, $queue.Count)
    $running = [Collections.Generic.List[object]]::new()
    $passed = 0; $failed = 0
    while ($queue.Count -gt 0 -or $running.Count -gt 0) {
        while ($queue.Count -gt 0 -and $running.Count -lt $parallel) {
            $running.Add((Start-PesterFile -Path $queue.Dequeue() -Pester $pester -ResultsFolder $resultsFolder -Live ($parallel -eq 1)))
        }
        $ended = @($running | Where-Object { $_.Child.HasExited -or $_.Clock.Elapsed.TotalSeconds -gt $TestTimeoutSeconds })
        if (-not $ended) { Start-Sleep -Milliseconds 250; continue }
        foreach ($run in $ended) {
            $null = $running.Remove($run)
            $counts = Complete-PesterFile $run -TimedOut (-not $run.Child.HasExited)
            $passed += $counts.Passed; $failed += $counts.Failed
        }
    }
    [pscustomobject]@{ Passed = $passed; Failed = $failed }
}

switch ($Task) {
    'build' { Build-Module; Build-Replica }
    'docs' { Build-Help }
    'package' { Build-Module; $null = Build-Package }
    'test' {
        Build-Module; $null = Build-Package; Build-Replica; Use-NodeForTests
        if (Test-Path $TestRun) { Remove-Item $TestRun -Recurse -Force }
        $xunit = Invoke-XunitTests
        $pester = Invoke-PesterTests
        $canary = Invoke-SecretCanary
        $passed = $xunit.Passed + $pester.Passed + $canary.Passed
        $failed = $xunit.Failed + $pester.Failed + $canary.Failed
        foreach ($name in $FailedTests) { Write-Host "failed: $name" }
        Write-Host "xunit: $($xunit.Passed) passed, $($xunit.Failed) failed; Pester: $($pester.Passed) passed, $($pester.Failed) failed; canary: $($canary.Failed) hits"
        Write-Host "$passed passed, $failed failed"
        if ($failed -gt 0 -or $passed -eq 0) { exit 1 }
    }
    'soak' {
        Build-Module; Build-Replica
        $TestFilter = @('Variants', 'Policy.Deletion')
        $failing = [System.Collections.Generic.List[int]]::new()
        $chosen = 1..$Seeds | ForEach-Object { Get-Random -Minimum 1 -Maximum 1000000 }
        $clock = [Diagnostics.Stopwatch]::StartNew()
        foreach ($seed in $chosen) {
            Write-Host "soak: variant seed $seed"
            $env:ALEXAPRIVACY_TEST_VARIANT = "$seed"
            try { $run = Invoke-PesterTests } finally { $env:ALEXAPRIVACY_TEST_VARIANT = $null }
            if ($run.Failed -gt 0 -or $run.Passed -eq 0) { $failing.Add($seed); Write-Host "soak: seed $seed FAILED ($($run.Failed) failed, $($run.Passed) passed)" }
        }
        $passed = $Seeds - $failing.Count
        if ($failing.Count -gt 0) { Write-Host "soak: failing seeds: $($failing -join ', ') (replay: `$env:ALEXAPRIVACY_TEST_VARIANT = <seed>; ./build.ps1 test -TestFilter Variants,Policy.Deletion)" }
        Write-Host ("soak: {0} of {1} seeds passed in {2:0} s" -f $passed, $Seeds, $clock.Elapsed.TotalSeconds)
        if ($failing.Count -gt 0) { exit 1 }
    }
    'demo' {
        Build-Module; Build-Replica; Use-NodeForTests
        Invoke-ChildPwsh @('-NoProfile', '-NonInteractive', '-File', (Join-Path $Root 'samples/demo.ps1'), '-ModulePath', (Join-Path $ModuleOut 'AlexaPrivacy.psd1'), '-ReplicaPath', (Join-Path $ReplicaOut 'AlexaPrivacy.Replica.dll'))
        if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
    }
    'bench' {
        Build-Module; Build-Replica; Use-NodeForTests
        $benchArguments = @('-NoProfile', '-NonInteractive', '-File', (Join-Path $Root 'tools/Benchmark.ps1'), '-ModulePath', (Join-Path $ModuleOut 'AlexaPrivacy.psd1'), '-ReplicaPath', (Join-Path $ReplicaOut 'AlexaPrivacy.Replica.dll'))
        foreach ($pair in $BenchOptions.GetEnumerator()) { $benchArguments += @("-$($pair.Key)", "$($pair.Value)") }
        Invoke-ChildPwsh $benchArguments
        if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
        Invoke-ChildPwsh @('-NoProfile', '-NonInteractive', '-File', (Join-Path $Root 'tools/Benchmark-VoiceHistory.ps1'), '-ModulePath', (Join-Path $ModuleOut 'AlexaPrivacy.psd1'), '-ReplicaPath', (Join-Path $ReplicaOut 'AlexaPrivacy.Replica.dll'))
        if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
        Invoke-ChildPwsh @('-NoProfile', '-NonInteractive', '-File', (Join-Path $Root 'tools/Benchmark-Policy.ps1'), '-ModulePath', (Join-Path $ModuleOut 'AlexaPrivacy.psd1'), '-ReplicaPath', (Join-Path $ReplicaOut 'AlexaPrivacy.Replica.dll'))
        if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
    }
}
