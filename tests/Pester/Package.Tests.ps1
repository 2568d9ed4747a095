# The package as a user gets it: ./build.ps1 package publishes out/repo/AlexaPrivacy.<version>.nupkg;
# here that folder is registered as a repository, the module is installed with Install-PSResource into
# a clean module path (HOME and the XDG folders in $TestDrive, so neither the user's modules nor their
# repository list are touched), and a new pwsh imports it by name and signs in and changes a setting on
# the replica, with the driver's node found each way the module looks for one.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $script:Root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $script:Version = (Import-PowerShellDataFile (Join-Path $Root 'AlexaPrivacy.psd1')).ModuleVersion
    $script:Repository = if ($env:ALEXAPRIVACY_TEST_REPOSITORY) { $env:ALEXAPRIVACY_TEST_REPOSITORY } else { Join-Path $Root 'out/repo' }
    $script:Package = Join-Path $Repository "AlexaPrivacy.$Version.nupkg"

    $self = Get-Process -Id $PID
    $script:PwshCommand = if ($self.ProcessName -eq 'dotnet') { @($self.Path, (Join-Path $PSHOME 'pwsh.dll')) } else { @($self.Path) }

    # Runs a script in a new pwsh -NoProfile whose HOME, XDG folders and PSModulePath are $TestDrive's.
    function Invoke-CleanPwsh {
        param([string] $Script, [hashtable] $Environment = @{}, [int] $TimeoutSeconds = 240)
        $info = [System.Diagnostics.ProcessStartInfo]::new($PwshCommand[0])
        foreach ($a in @($PwshCommand | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-Command', $Script)) { $info.ArgumentList.Add($a) }
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

    # A node that logs its arguments and runs the real one: shows which node ran the driver.
    function New-LoggingNode {
        param([string] $Folder, [string] $Log)
        New-Item -ItemType Directory -Path $Folder -Force | Out-Null
        $path = Join-Path $Folder 'node'
        Set-Content -Path $path -Value "#!/bin/sh`nprintf '%s\n' `"`$*`" >> '$Log'`nexec '$RealNode' `"`$@`"`n" -NoNewline
        & chmod 755 $path
        $path
    }

    # Connect-AlexaAccount and Set-AlexaDataSetting -Enabled $false in a new pwsh that imports the module by name.
    function Invoke-InstalledFlow {
        param([hashtable] $Environment)
        $account = New-ReplicaAccount $Replica -Settings @{ VoiceRecordingReview = $true }
        $Environment['ALEXAPRIVACY_TEST_PASSWORD'] = $account.Password
        $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module AlexaPrivacy
`$module = Get-Module AlexaPrivacy
`$password = ConvertTo-SecureString `$env:ALEXAPRIVACY_TEST_PASSWORD -AsPlainText -Force
`$session = Connect-AlexaAccount -Email '$($account.Email)' -Password `$password -BaseUri '$($Replica.BaseUri)'
`$change = Set-AlexaDataSetting -Session `$session -Enabled `$false -Confirm:`$false -PassThru
Disconnect-AlexaAccount -Session `$session
[pscustomobject]@{ ModuleBase = `$module.ModuleBase; Version = "`$(`$module.Version)"; Changed = `$change.Changed; NewValue = "`$(`$change.NewValue)" } | ConvertTo-Json -Compress
"@
        $result = Read-ChildResult (Invoke-CleanPwsh -Script $script -Environment $Environment)
        [pscustomobject]@{ Result = $result; Stored = (Get-ReplicaAccount $Replica $account.Email).settings.VoiceRecordingReview }
    }

    if (-not (Test-Path $Package)) {
        # Run on its own (not from build.ps1 test): make the package first.
        & $PwshCommand[0] @($PwshCommand | Select-Object -Skip 1) -NoProfile -NonInteractive -File (Join-Path $Root 'build.ps1') package | Out-Host
    }

    # The node the tests run the driver with: build.ps1 sets PLAYWRIGHT_NODEJS_PATH when the machine's is older than 20.
    $script:RealNode = if ($env:PLAYWRIGHT_NODEJS_PATH) { $env:PLAYWRIGHT_NODEJS_PATH } else { (Get-Command node -CommandType Application -ErrorAction Stop | Select-Object -First 1).Source }
    $script:CleanHome = Join-Path $TestDrive 'home'
    New-Item -ItemType Directory -Path $CleanHome | Out-Null
    $script:UserStore = Join-Path ([Environment]::GetFolderPath('LocalApplicationData')) 'PSResourceGet/PSResourceRepository.xml'
    $script:UserStoreBefore = if (Test-Path $UserStore) { (Get-FileHash $UserStore).Hash } else { $null }
    $script:Replica = Start-TestReplica
}

AfterAll {
    Stop-TestReplica $Replica
}

Describe 'The package' {
    It 'is versioned by the manifest alone: the package, the module and the replica assemblies agree' {
        $Package | Should -Exist
        $manifestVersion = [version]$Version
        Select-String -Path (Join-Path $Root 'Directory.Build.props') -Pattern '<Version>\s*\d' | Should -BeNullOrEmpty
        foreach ($assembly in (Join-Path $Root 'out/AlexaPrivacy/AlexaPrivacy.dll'), (Join-Path $Root 'out/replica/AlexaPrivacy.Replica.dll')) {
            $name = [System.Reflection.AssemblyName]::GetAssemblyName($assembly)
            $name.Version.ToString(3) | Should -Be $manifestVersion.ToString(3) -Because $assembly
        }
        $zip = [System.IO.Compression.ZipFile]::OpenRead($Package)
        try {
            $reader = [System.IO.StreamReader]::new($zip.GetEntry('AlexaPrivacy.nuspec').Open())
            [xml]$nuspec = $reader.ReadToEnd(); $reader.Dispose()
        }
        finally { $zip.Dispose() }
        $nuspec.package.metadata.version | Should -Be $Version
        $nuspec.package.metadata.projectUrl | Should -Match '^https://'
        $nuspec.package.metadata.licenseUrl | Should -Match '^https://.*LICENSE$'
        $nuspec.package.metadata.releaseNotes | Should -Match ([regex]::Escape($Version))
        $nuspec.package.metadata.tags -split ' ' | Should -Contain 'Privacy'
    }

    # The owner and mode checks of session files read File.GetUnixFileMode, which .NET 7 brought:
    # on PowerShell 7.2 (.NET 6) they found no mode and let every file through.
    It 'requires PowerShell 7.4 (.NET 8), the oldest on which the owner and mode checks of files cannot fail open' {
        $manifest = Import-PowerShellDataFile (Join-Path $Root 'AlexaPrivacy.psd1')
        [version]$manifest.PowerShellVersion | Should -Be ([version]'7.4')
        $manifest.CompatiblePSEditions | Should -Be @('Core')
        [IO.File].GetMethod('GetUnixFileMode', [type[]]@([string])) | Should -Not -BeNullOrEmpty
        [Environment]::Version.Major | Should -BeGreaterOrEqual 8
        $zip = [System.IO.Compression.ZipFile]::OpenRead($Package)
        try {
            $reader = [System.IO.StreamReader]::new($zip.GetEntry('AlexaPrivacy.psd1').Open())
            $packed = $reader.ReadToEnd(); $reader.Dispose()
        }
        finally { $zip.Dispose() }
        $packed | Should -Match "PowerShellVersion\s*=\s*'7\.4'"
    }

    It 'is one package for Windows, macOS and Linux: the driver''s JavaScript and managed assemblies, no node binary' {
        $zip = [System.IO.Compression.ZipFile]::OpenRead($Package)
        try {
            $entries = @($zip.Entries | ForEach-Object FullName)
            $entries | Should -Contain 'AlexaPrivacy.psd1'
            $entries | Should -Contain 'AlexaPrivacy.dll'
            $entries | Should -Contain 'LICENSE'
            $entries | Should -Contain 'en-US/AlexaPrivacy.dll-Help.xml'
            $entries | Should -Contain 'dependencies/Microsoft.Playwright.dll'
            $entries | Should -Contain 'dependencies/.playwright/package/cli.js'
            $entries | Should -Contain 'dependencies/.playwright/package/package.json'
            $entries | Should -Contain 'Samples/Enforce-AlexaPrivacyPolicy.ps1'
            # Nothing for one platform only: no node of Playwright's win32_x64, darwin-* or linux-* folders, no native code.
            $entries | Where-Object { $_ -like 'dependencies/.playwright/node/*' } | Should -BeNullOrEmpty
            $entries | Where-Object { $_ -match '(^|/)node(\.exe)?$|\.(exe|so|dylib)$|(win32|darwin|linux)[-_](x64|arm64)' } | Should -BeNullOrEmpty
            $entries | Should -Not -Contain 'System.Management.Automation.dll'
            foreach ($dll in $zip.Entries | Where-Object FullName -like '*.dll') {
                $memory = [System.IO.MemoryStream]::new()
                $stream = $dll.Open(); $stream.CopyTo($memory); $stream.Dispose(); $memory.Position = 0
                $pe = [System.Reflection.PortableExecutable.PEReader]::new($memory)
                try {
                    $pe.PEHeaders.CorHeader | Should -Not -BeNullOrEmpty -Because "$($dll.FullName) must be a .NET assembly"
                    ($pe.PEHeaders.CorHeader.Flags -band [System.Reflection.PortableExecutable.CorFlags]::ILOnly) | Should -Be ([System.Reflection.PortableExecutable.CorFlags]::ILOnly) -Because "$($dll.FullName) must hold no native code"
                }
                finally { $pe.Dispose() }
            }
        }
        finally { $zip.Dispose() }
        (Get-Item $Package).Length | Should -BeLessThan 10MB
    }
}

Describe 'Installing the package' {
    BeforeAll {
        $script:Installed = $null
    }

    It 'installs with Install-PSResource -Scope CurrentUser from the registered folder, leaving the user''s repositories alone' {
        $script = @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name Company -Uri '$Repository' -Trusted
Install-PSResource -Name AlexaPrivacy -Repository Company -Scope CurrentUser -Quiet
`$installed = Get-InstalledPSResource -Name AlexaPrivacy -Scope CurrentUser
[pscustomobject]@{ Version = "`$(`$installed.Version)"; InstalledLocation = `$installed.InstalledLocation; Repositories = @(Get-PSResourceRepository | ForEach-Object Name) } | ConvertTo-Json -Compress
"@
        $result = Read-ChildResult (Invoke-CleanPwsh -Script $script)
        $result.Version | Should -Be $Version
        $result.InstalledLocation | Should -BeLike "$CleanHome*"
        $result.Repositories | Should -Contain 'Company'
        $script:Installed = Join-Path $result.InstalledLocation "AlexaPrivacy/$Version"
        Join-Path $Installed 'AlexaPrivacy.psd1' | Should -Exist
        Join-Path $Installed 'dependencies/.playwright/package/cli.js' | Should -Exist
        # The registration lives in the temporary store only.
        Join-Path $CleanHome '.local/share/PSResourceGet/PSResourceRepository.xml' | Should -Exist
        $now = if (Test-Path $UserStore) { (Get-FileHash $UserStore).Hash } else { $null }
        $now | Should -Be $UserStoreBefore
    }

    It 'imports by name in a new pwsh and turns off human review, the driver running on the node found on PATH' -Skip:$IsWindows {
        $Installed | Should -Not -BeNullOrEmpty
        $log = Join-Path $TestDrive 'path-node.log'
        $folder = Split-Path (New-LoggingNode -Folder (Join-Path $TestDrive 'path-node') -Log $log)
        $flow = Invoke-InstalledFlow @{ PATH = "$folder$([IO.Path]::PathSeparator)$env:PATH" }
        $flow.Result.ModuleBase | Should -Be $Installed
        $flow.Result.Version | Should -Be $Version
        $flow.Result.Changed | Should -BeTrue
        $flow.Result.NewValue | Should -Be 'Off'
        $flow.Stored | Should -BeFalse
        Get-Content $log | Should -Contain '--version'
        Get-Content $log | Where-Object { $_ -match 'cli\.js.*run-driver' } | Should -Not -BeNullOrEmpty
    }

    It 'runs the driver on $env:PLAYWRIGHT_NODEJS_PATH before any node on PATH' -Skip:$IsWindows {
        $Installed | Should -Not -BeNullOrEmpty
        $pathLog = Join-Path $TestDrive 'path-node2.log'
        $envLog = Join-Path $TestDrive 'env-node.log'
        $pathFolder = Split-Path (New-LoggingNode -Folder (Join-Path $TestDrive 'path-node2') -Log $pathLog)
        $envNode = New-LoggingNode -Folder (Join-Path $TestDrive 'env-node') -Log $envLog
        $flow = Invoke-InstalledFlow @{ PATH = "$pathFolder$([IO.Path]::PathSeparator)$env:PATH"; PLAYWRIGHT_NODEJS_PATH = $envNode }
        $flow.Result.Changed | Should -BeTrue
        $flow.Stored | Should -BeFalse
        Get-Content $envLog | Where-Object { $_ -match 'cli\.js.*run-driver' } | Should -Not -BeNullOrEmpty
        $pathLog | Should -Not -Exist
    }

    It 'prefers a node in Playwright''s own layout beside the driver (.playwright/node/PLATFORM/node)' -Skip:$IsWindows {
        $Installed | Should -Not -BeNullOrEmpty
        $platform = if ($IsMacOS) { 'darwin' } else { 'linux' }
        $platform += if ([System.Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture -eq 'Arm64') { '-arm64' } else { '-x64' }
        $bundledFolder = Join-Path $Installed "dependencies/.playwright/node/$platform"
        $bundledLog = Join-Path $TestDrive 'bundled-node.log'
        $pathLog = Join-Path $TestDrive 'path-node3.log'
        try {
            $null = New-LoggingNode -Folder $bundledFolder -Log $bundledLog
            $pathFolder = Split-Path (New-LoggingNode -Folder (Join-Path $TestDrive 'path-node3') -Log $pathLog)
            $flow = Invoke-InstalledFlow @{ PATH = "$pathFolder$([IO.Path]::PathSeparator)$env:PATH" }
            $flow.Result.Changed | Should -BeTrue
            $flow.Stored | Should -BeFalse
            Get-Content $bundledLog | Where-Object { $_ -match 'cli\.js.*run-driver' } | Should -Not -BeNullOrEmpty
            $pathLog | Should -Not -Exist
        }
        finally {
            Remove-Item (Join-Path $Installed 'dependencies/.playwright/node') -Recurse -Force -ErrorAction SilentlyContinue
        }
    }

    It 'never runs a node from a relative PATH entry, and says in -Verbose which node it chose' -Skip:$IsWindows {
        $Installed | Should -Not -BeNullOrEmpty
        # "bin" on PATH means the bin folder of wherever the process runs: here the child's working folder.
        $plantedLog = Join-Path $TestDrive 'planted-node.log'
        $null = New-LoggingNode -Folder (Join-Path $CleanHome 'bin') -Log $plantedLog
        $account = New-ReplicaAccount $Replica
        $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module AlexaPrivacy
`$password = ConvertTo-SecureString `$env:ALEXAPRIVACY_TEST_PASSWORD -AsPlainText -Force
`$verbose = Connect-AlexaAccount -Email '$($account.Email)' -Password `$password -BaseUri '$($Replica.BaseUri)' -Verbose 4>&1 | Where-Object { `$_ -is [System.Management.Automation.VerboseRecord] }
[pscustomobject]@{ Node = @(`$verbose.Message -match 'driver runs on Node') } | ConvertTo-Json -Compress
"@
        $result = Read-ChildResult (Invoke-CleanPwsh -Script $script -Environment @{ ALEXAPRIVACY_TEST_PASSWORD = $account.Password; PATH = "bin$([IO.Path]::PathSeparator)$env:PATH" })
        $plantedLog | Should -Not -Exist
        @($result.Node).Count | Should -Be 1
        $result.Node[0] | Should -Match ([regex]::Escape("'$RealNode'"))
        $result.Node[0] | Should -Match 'version \d+\.\d+\.\d+'
        (Get-ReplicaAccount $Replica $account.Email).signInCount | Should -Be 1
    }

    # As root (as CI runs) Chromium refuses its sandbox, so there the fallback is what is shown; as
    # another user the sandbox itself is.
    It 'starts Chromium in its sandbox where it can, says in -Verbose when and why it runs without, and only then runs its GPU process in the browser process' -Skip:(-not $IsLinux) {
        $Installed | Should -Not -BeNullOrEmpty
        $account = New-ReplicaAccount $Replica
        $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module AlexaPrivacy
`$password = ConvertTo-SecureString `$env:ALEXAPRIVACY_TEST_PASSWORD -AsPlainText -Force
`$verbose = @()
`$session = Connect-AlexaAccount -Email '$($account.Email)' -Password `$password -BaseUri '$($Replica.BaseUri)' -Verbose 4>&1 | ForEach-Object { if (`$_ -is [System.Management.Automation.VerboseRecord]) { `$verbose += `$_.Message } else { `$_ } }
# The browser processes started from this pwsh (through the driver), with their command lines.
`$tree = [System.Collections.Generic.HashSet[int]]::new(); `$null = `$tree.Add(`$PID)
`$all = Get-ChildItem /proc -Directory | Where-Object Name -match '^\d+$' | ForEach-Object {
    try { [pscustomobject]@{ Id = [int]`$_.Name; Parent = [int]((Get-Content "/proc/`$(`$_.Name)/stat" -Raw) -replace '^.*\)\s+\S+\s+(\d+).*$', '`$1'); Command = (Get-Content "/proc/`$(`$_.Name)/cmdline" -Raw) -replace "``0", ' ' } } catch { }
}
do { `$added = 0; foreach (`$p in `$all) { if (`$tree.Contains(`$p.Parent) -and `$tree.Add(`$p.Id)) { `$added++ } } } while (`$added)
`$browsers = @(`$all | Where-Object { `$tree.Contains(`$_.Id) -and `$_.Command -match 'chrom' -and `$_.Command -notmatch '--type=' })
`$gpu = @(`$all | Where-Object { `$tree.Contains(`$_.Id) -and `$_.Id -ne `$PID -and `$_.Command -match '--type=gpu-process' })
Disconnect-AlexaAccount -Session `$session
[pscustomobject]@{ Sandbox = @(`$verbose -match 'sandbox'); Browsers = `$browsers.Count; NoSandbox = @(`$browsers | Where-Object Command -match '--no-sandbox').Count
    InProcessGpu = @(`$browsers | Where-Object Command -match '--in-process-gpu').Count; GpuProcesses = `$gpu.Count } | ConvertTo-Json -Compress
"@
        $result = Read-ChildResult (Invoke-CleanPwsh -Script $script -Environment @{ ALEXAPRIVACY_TEST_PASSWORD = $account.Password })
        (Get-ReplicaAccount $Replica $account.Email).signInCount | Should -Be 1
        @($result.Sandbox).Count | Should -Be 1
        $result.Browsers | Should -BeGreaterThan 0
        if ((& id -u) -eq '0') {
            $result.Sandbox[0] | Should -Match 'WITHOUT its sandbox: Chromium does not start its sandbox as root'
            $result.NoSandbox | Should -Be $result.Browsers
            # Unconfined anyway, the GPU process runs as a thread of the browser process.
            $result.InProcessGpu | Should -Be $result.Browsers
            $result.GpuProcesses | Should -Be 0
        }
        else {
            $result.Sandbox[0] | Should -Be 'Chromium runs in its sandbox.'
            $result.NoSandbox | Should -Be 0
            # In the sandbox the GPU process keeps its own confinement.
            $result.InProcessGpu | Should -Be 0
        }
    }

    It 'says AlexaNodeNotFound, with what to install, when no node of version 20 or newer is found' -Skip:(-not $IsLinux) {
        $Installed | Should -Not -BeNullOrEmpty
        $empty = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'no-node')
        $old = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'old-node')
        Set-Content -Path (Join-Path $old 'node') -Value "#!/bin/sh`necho v18.19.0`n" -NoNewline
        & chmod 755 (Join-Path $old 'node')
        $account = New-ReplicaAccount $Replica
        $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module AlexaPrivacy
`$password = ConvertTo-SecureString `$env:ALEXAPRIVACY_TEST_PASSWORD -AsPlainText -Force
`$results = foreach (`$case in @(
        @{ Name = 'none'; Path = '$empty'; Variable = `$null },
        @{ Name = 'old'; Path = '$old'; Variable = `$null },
        @{ Name = 'variable'; Path = '$empty'; Variable = '$(Join-Path $TestDrive 'missing/node')' })) {
    `$env:PATH = `$case.Path
    `$env:PLAYWRIGHT_NODEJS_PATH = `$case.Variable
    `$errors = `$null
    `$session = Connect-AlexaAccount -Email '$($account.Email)' -Password `$password -BaseUri '$($Replica.BaseUri)' -ErrorAction SilentlyContinue -ErrorVariable errors
    [pscustomobject]@{
        Name = `$case.Name; Session = [bool]`$session; Count = @(`$errors).Count
        Id = `$errors[0].FullyQualifiedErrorId; Category = "`$(`$errors[0].CategoryInfo.Category)"
        Message = "`$(`$errors[0])"; Action = `$errors[0].ErrorDetails.RecommendedAction
    }
}
ConvertTo-Json @(`$results) -Compress
"@
        $results = Read-ChildResult (Invoke-CleanPwsh -Script $script -Environment @{ ALEXAPRIVACY_TEST_PASSWORD = $account.Password })
        $byName = @{}; $results | ForEach-Object { $byName[$_.Name] = $_ }
        foreach ($case in $results) {
            $case.Session | Should -BeFalse -Because $case.Name
            $case.Count | Should -Be 1 -Because $case.Name
            $case.Id | Should -BeLike 'AlexaNodeNotFound,*' -Because $case.Name
            $case.Action | Should -Match 'Node\.js 20 or newer' -Because $case.Name
            $case.Action | Should -Match 'PLAYWRIGHT_NODEJS_PATH' -Because $case.Name
        }
        $byName.none.Category | Should -Be 'NotInstalled'
        $byName.none.Message | Should -Match 'No Node\.js was found \(searched PATH'
        $byName.old.Message | Should -Match ([regex]::Escape("$old/node") + '.*18\.19\.0')
        $byName.variable.Category | Should -Be 'ObjectNotFound'
        $byName.variable.Message | Should -Match 'PLAYWRIGHT_NODEJS_PATH.*missing/node'
    }
}
