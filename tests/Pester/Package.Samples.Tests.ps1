# The enforcement script as the package installs it: Install-PSResource from out/repo into a clean
# module path (as Package.Tests.ps1 does), then the script runs from $module.ModuleBase/Samples/ the
# way a timer runs it. A file of its own, so that each file keeps within the per-file time limit.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $script:Root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $script:Version = (Import-PowerShellDataFile (Join-Path $Root 'AlexaPrivacy.psd1')).ModuleVersion
    $script:Repository = if ($env:ALEXAPRIVACY_TEST_REPOSITORY) { $env:ALEXAPRIVACY_TEST_REPOSITORY } else { Join-Path $Root 'out/repo' }
    $script:Package = Join-Path $Repository "AlexaPrivacy.$Version.nupkg"

    $self = Get-Process -Id $PID
    $script:PwshCommand = if ($self.ProcessName -eq 'dotnet') { @($self.Path, (Join-Path $PSHOME 'pwsh.dll')) } else { @($self.Path) }

    # Runs a script (or, with -File, a script file and its arguments, as a timer does) in a new
    # pwsh -NoProfile whose HOME, XDG folders and PSModulePath are $TestDrive's (as in Package.Tests.ps1).
    function Invoke-CleanPwsh {
        param([string] $Script, [hashtable] $Environment = @{}, [int] $TimeoutSeconds = 240, [string[]] $File)
        $info = [System.Diagnostics.ProcessStartInfo]::new($PwshCommand[0])
        $run = if ($File) { @('-File') + $File } else { @('-Command', $Script) }
        foreach ($a in @($PwshCommand | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive') + $run) { $info.ArgumentList.Add($a) }
        $info.RedirectStandardOutput = $true
        $info.RedirectStandardError = $true
        $info.UseShellExecute = $false
        $info.WorkingDirectory = $CleanHome
        $info.Environment['HOME'] = $CleanHome
        # .NET answers "" for a special folder that does not exist yet (and PSResourceGet would then use the working folder).
        foreach ($pair in @{ XDG_DATA_HOME = '.local/share'; XDG_CONFIG_HOME = '.config'; XDG_CACHE_HOME = '.cache' }.GetEnumerator()) {
            $info.Environment[$pair.Key] = (New-Item -ItemType Directory -Path (Join-Path $CleanHome $pair.Value) -Force).FullName
        }
        $info.Environment['POWERSHELL_TELEMETRY_OPTOUT'] = '1'
        $info.Environment['POWERSHELL_UPDATECHECK'] = 'Off'
        foreach ($name in 'PSModulePath', 'PLAYWRIGHT_NODEJS_PATH', 'PLAYWRIGHT_DRIVER_SEARCH_PATH', 'ALEXAPRIVACY_TEST_MODULE') { $null = $info.Environment.Remove($name) }
        foreach ($pair in $Environment.GetEnumerator()) {
            if ($null -eq $pair.Value) { $null = $info.Environment.Remove($pair.Key) } else { $info.Environment[$pair.Key] = $pair.Value }
        }
        $process = [System.Diagnostics.Process]::Start($info)
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
            $process.Kill($true)
            throw "The child pwsh did not finish within $TimeoutSeconds s."
        }
        $process.WaitForExit()
        [pscustomobject]@{ ExitCode = $process.ExitCode; Output = $stdout.Result; Error = $stderr.Result }
    }

    # The last line a child printed, as JSON.
    function Read-ChildResult {
        param($Run)
        $line = ($Run.Output -split "`n" | Where-Object { $_.Trim() } | Select-Object -Last 1)
        if ($Run.ExitCode -ne 0 -or -not $line) { throw "The child pwsh failed (exit code $($Run.ExitCode)): $($Run.Output) $($Run.Error)" }
        $line | ConvertFrom-Json
    }

    if (-not (Test-Path $Package)) {
        & $PwshCommand[0] @($PwshCommand | Select-Object -Skip 1) -NoProfile -NonInteractive -File (Join-Path $Root 'build.ps1') package | Out-Host
    }
    $script:RealNode = if ($env:PLAYWRIGHT_NODEJS_PATH) { $env:PLAYWRIGHT_NODEJS_PATH } else { (Get-Command node -CommandType Application -ErrorAction Stop | Select-Object -First 1).Source }
    $script:CleanHome = Join-Path $TestDrive 'home'
    New-Item -ItemType Directory -Path $CleanHome | Out-Null
    $script:Replica = Start-TestReplica
    $install = @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name Company -Uri '$Repository' -Trusted
Install-PSResource -Name AlexaPrivacy -Repository Company -Scope CurrentUser -Quiet
[pscustomobject]@{ InstalledLocation = (Get-InstalledPSResource -Name AlexaPrivacy -Scope CurrentUser).InstalledLocation } | ConvertTo-Json -Compress
"@
    $script:Installed = Join-Path (Read-ChildResult (Invoke-CleanPwsh -Script $install)).InstalledLocation "AlexaPrivacy/$Version"
}

AfterAll {
    Stop-TestReplica $Replica
}

Describe 'The installed enforcement script' {
    It 'holds the enforcement script in Samples/, which runs from the installed path against the replica without printing the module''s import' {
        $Installed | Should -Not -BeNullOrEmpty
        $account = New-ReplicaAccount $Replica -Settings @{ VoiceRecordingReview = $true; VoiceRecordingRetention = 'UntilDeleted' }
        $nodeEnvironment = @{ PLAYWRIGHT_NODEJS_PATH = $RealNode }
        # Where the README and the help say it lands: $module.ModuleBase/Samples/Enforce-AlexaPrivacyPolicy.ps1.
        $found = Read-ChildResult (Invoke-CleanPwsh -Script "[pscustomobject]@{ Script = (Join-Path (Get-Module AlexaPrivacy -ListAvailable).ModuleBase 'Samples/Enforce-AlexaPrivacyPolicy.ps1') } | ConvertTo-Json -Compress")
        $found.Script | Should -Be (Join-Path $Installed 'Samples/Enforce-AlexaPrivacyPolicy.ps1')
        $found.Script | Should -Exist
        $csv = Join-Path $TestDrive 'enforce.csv'
        # A password column keeps this test to one sign-in; Enforce.Policy.Tests runs the script on saved sessions.
        [pscustomobject]@{ Email = $account.Email; Password = $account.Password; Marketplace = 'amazon.com' } | Export-Csv $csv -NoTypeInformation
        $policy = Join-Path $TestDrive 'enforce.psd1'
        Set-Content $policy "@{ VoiceRecordingReview = 'Off'; VoiceRecordingRetention = 'ThreeMonths' }"
        $report = Join-Path $TestDrive 'enforce.html'
        # As a timer runs it: pwsh -File on the installed path, the module imported by name; -Verbose to show that the import stays quiet.
        $run = Invoke-CleanPwsh -Environment $nodeEnvironment -File @($found.Script, '-AccountsPath', $csv, '-PolicyPath', $policy,
            '-AuditLogPath', (Join-Path $TestDrive 'enforce.jsonl'), '-ReportPath', $report, '-BaseUri', $Replica.BaseUri, '-Verbose')
        $run.Error | Should -BeNullOrEmpty
        $run.ExitCode | Should -Be 0 -Because $run.Output
        $run.Output | Should -Match '1 account\(s\): 1 compliant, 1 changed now, 0 not compliant, 0 error\(s\)'
        $run.Output | Should -Not -Match 'VERBOSE: (Loading module|Importing cmdlet|Importing alias|Importing function|Exporting)'
        ($run.Output -split "`n" | Select-Object -First 1) | Should -Not -Match 'Loading|Importing'
        (Get-ReplicaAccount $Replica $account.Email).settings.VoiceRecordingReview | Should -BeFalse
        (Get-ReplicaAccount $Replica $account.Email).settings.VoiceRecordingRetention | Should -Be 'ThreeMonths'
        Get-Content $report -Raw | Should -Match 'id="accounts-count">1<'
    }

}
