@testable import OutguardProxy
