# Shared by the Pester files: imports the built module and runs a replica of Amazon's pages
# on loopback, with helpers for its admin API (seed accounts, read what is stored, set faults).

$script:ModulePath = $env:ALEXAPRIVACY_TEST_MODULE
$script:ReplicaPath = $env:ALEXAPRIVACY_TEST_REPLICA
if (-not $script:ModulePath) { $script:ModulePath = Join-Path $PSScriptRoot '../../out/AlexaPrivacy/AlexaPrivacy.psd1' }
if (-not $script:ReplicaPath) { $script:ReplicaPath = Join-Path $PSScriptRoot '../../out/replica/AlexaPrivacy.Replica.dll' }

function Start-TestReplica {
    param([string[]] $Arguments = @())
    $info = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    $info.ArgumentList.Add($script:ReplicaPath)
    # A variant seed renders the contract another allowed way; every test file runs on it unchanged.
    if ($env:ALEXAPRIVACY_TEST_VARIANT -and $Arguments -notcontains '--variant') { $Arguments = @('--variant', $env:ALEXAPRIVACY_TEST_VARIANT) + $Arguments }
    foreach ($a in @('--port', '0') + $Arguments) { $info.ArgumentList.Add($a) }
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $info.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($info)
    $readLine = $process.StandardOutput.ReadLineAsync()
    if (-not $readLine.Wait(60000)) { $process.Kill($true); throw 'The replica did not start within 60 s.' }
    $line = $readLine.Result
    if ($line -notmatch 'Listening on (http://\S+)') {
        $err = $process.StandardError.ReadToEnd()
        throw "The replica printed '$line' instead of its address. $err"
    }
    # Keep draining stderr so the replica never blocks on a full pipe.
    $null = $process.StandardError.ReadToEndAsync()
    $null = $process.StandardOutput.ReadToEndAsync()
    [pscustomobject]@{ Process = $process; BaseUri = $Matches[1].TrimEnd('/') + '/' }
}

# The secret canary (tools/Test-SecretCanary.ps1, run by build.ps1 after the tests): every secret a
# test creates or the replica sees is recorded in $env:ALEXAPRIVACY_TEST_CANARY, so that the run's
# files and streams can be searched for it. Nothing is recorded when the variable is not set.
function Add-TestCanary {
    param([ValidateSet('password', 'totp', 'code', 'cookie')] [string] $Kind, [string[]] $Value)
    if (-not $env:ALEXAPRIVACY_TEST_CANARY) { return }
    $lines = foreach ($v in $Value) { if ($v) { @{ kind = $Kind; value = $v } | ConvertTo-Json -Compress } }
    if (-not $lines) { return }
    $null = New-Item -ItemType Directory $env:ALEXAPRIVACY_TEST_CANARY -Force
    [IO.File]::AppendAllLines((Join-Path $env:ALEXAPRIVACY_TEST_CANARY "secrets-$PID.jsonl"), [string[]]@($lines))
}

# Every code the replica received and every cookie value it set, for each of its accounts.
function Save-ReplicaCanary {
    param($Replica)
    if (-not $env:ALEXAPRIVACY_TEST_CANARY) { return }
    try {
        foreach ($account in @(Invoke-ReplicaAdmin $Replica -Path '/__replica/accounts' | ForEach-Object { $_ })) {
            $signIns = Invoke-ReplicaAdmin $Replica -Path "/__replica/accounts/$([uri]::EscapeDataString($account.email))/sign-ins"
            Add-TestCanary code @($signIns.codesReceived)
            Add-TestCanary cookie @($signIns.cookiesIssued)
        }
    }
    catch {
        # A replica that a test stopped or broke on purpose has nothing more to tell.
    }
}

# A new folder for files a test lets the module write (diagnostics, traces): under the run's
# artifacts when the build runs the tests, so that the secret canary searches them after the run
# (TestDrive is gone by then); in TestDrive otherwise.
function New-TestArtifactFolder {
    param([string] $Name)
    $root = if ($env:ALEXAPRIVACY_TEST_ARTIFACTS) { $env:ALEXAPRIVACY_TEST_ARTIFACTS } else { $TestDrive }
    Join-Path $root "$Name-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
}

function Stop-TestReplica {
    param($Replica)
    if ($Replica -and -not $Replica.Process.HasExited) { Save-ReplicaCanary $Replica }
    if ($Replica -and -not $Replica.Process.HasExited) {
        $Replica.Process.Kill($true)
        $null = $Replica.Process.WaitForExit(10000)
    }
}

function Invoke-ReplicaAdmin {
    param($Replica, [string] $Method = 'GET', [string] $Path, $Body)
    $params = @{ Method = $Method; Uri = ($Replica.BaseUri.TrimEnd('/') + $Path); ContentType = 'application/json' }
    if ($null -ne $Body) { $params.Body = ($Body | ConvertTo-Json -Depth 10) }
    Invoke-RestMethod @params
}

function New-TestEmail { param([string] $Prefix = 'user') "$Prefix-$([guid]::NewGuid().ToString('N').Substring(0, 8))@example.com" }

function New-TestTotpKey {
    # 32 random bytes as base32 in groups of 4, the way Amazon shows an authenticator key.
    $alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
    $bytes = [byte[]]::new(32); [System.Security.Cryptography.RandomNumberGenerator]::Fill($bytes)
    $bits = ($bytes | ForEach-Object { [Convert]::ToString($_, 2).PadLeft(8, '0') }) -join ''
    $chars = for ($i = 0; $i + 5 -le $bits.Length; $i += 5) { $alphabet[[Convert]::ToInt32($bits.Substring($i, 5), 2)] }
    $key = (-join $chars) -replace '(.{4})(?!$)', '$1 '
    Add-TestCanary totp $key
    $key
}

function New-ReplicaAccount {
    param($Replica, [string] $Email = (New-TestEmail), [string] $Password = 'correct-horse-9', [string] $TotpSecret,
        [string] $Marketplace = 'amazon.com', [hashtable] $Settings, [string] $Challenge, [switch] $Passkey)
    $body = @{ email = $Email; password = $Password; marketplace = $Marketplace }
    if ($TotpSecret) { $body.totpSecret = $TotpSecret }
    if ($Passkey) { $body.passkey = $true }
    if ($Settings) { $body.settings = $Settings }
    if ($Challenge) { $body.challenge = $Challenge }
    Add-TestCanary password $Password
    Add-TestCanary totp $TotpSecret
    $null = Invoke-ReplicaAdmin $Replica -Method POST -Path '/__replica/accounts' -Body $body
    [pscustomobject]@{
        Email       = $Email
        Password    = $Password
        SecurePassword = (ConvertTo-SecureString $Password -AsPlainText -Force)
        TotpSecret  = $TotpSecret
        Marketplace = $Marketplace
    }
}

function Get-ReplicaAccount { param($Replica, [string] $Email) Invoke-ReplicaAdmin $Replica -Path "/__replica/accounts/$([uri]::EscapeDataString($Email))" }

function Set-ReplicaFault { param($Replica, [hashtable] $Faults = @{}) $null = Invoke-ReplicaAdmin $Replica -Method PUT -Path '/__replica/faults' -Body $Faults }

function ConvertTo-TestSecureString { param([string] $Text) ConvertTo-SecureString $Text -AsPlainText -Force }

# Voice-history data for the replica: times as Unix milliseconds from today's local midnight.
$script:Midnight = [DateTimeOffset]::new((Get-Date).Date)
function Get-Ms { param([double] $Days, [double] $Hours = 0) $Midnight.AddDays($Days).AddHours($Hours).ToUnixTimeMilliseconds() }

function Add-Records {
    param([string] $Email, [object[]] $Records)
    $null = Invoke-ReplicaAdmin $Replica -Method POST -Path "/__replica/accounts/$([uri]::EscapeDataString($Email))/records" -Body @{ records = $Records }
}

# Invoke-RestMethod hands a JSON array over as one object: enumerate it so that callers get records.
function Get-StoredRecords { param([string] $Email) Invoke-ReplicaAdmin $Replica -Path "/__replica/accounts/$([uri]::EscapeDataString($Email))/records" | ForEach-Object { $_ } }

# Three days of history on two devices: "kitchen -3" at 08:00 on the Kitchen Echo, "bedroom -3" at 09:00 on the Bedroom Echo Dot, and so on.
function New-ThreeDaysOfRecords {
    foreach ($day in -3..-1) {
        @{ timestamp = (Get-Ms $day 8); device = 'Kitchen Echo'; transcript = "kitchen $day" }
        @{ timestamp = (Get-Ms $day 9); device = 'Bedroom Echo Dot'; transcript = "bedroom $day" }
    }
}

# A new replica account with the given records (or generated ones) and settings, connected: Account, Session, Email.
function Connect-Seeded {
    param([Parameter(Position = 0)] [hashtable] $Settings, [object[]] $Records, [hashtable] $Generate)
    $account = New-ReplicaAccount $Replica -Settings $Settings
    if ($Records) { Add-Records $account.Email $Records }
    if ($Generate) {
        $null = Invoke-ReplicaAdmin $Replica -Method POST -Path "/__replica/accounts/$([uri]::EscapeDataString($account.Email))/records" -Body @{ generate = $Generate }
    }
    $session = Connect-AlexaAccount -Email $account.Email -Password $account.SecurePassword -BaseUri $Base
    [pscustomobject]@{ Account = $account; Session = $session; Email = $account.Email }
}

# The settings the replica holds for an account.
function Get-Stored { param([string] $Email) (Get-ReplicaAccount $Replica $Email).settings }
